// ONNX models (the route from PyTorch: torch.onnx.export) as frozen feature extractors, run by
// onnxruntime-node on the CPU. onnxruntime-node is an optional peer dependency, imported only when an ONNX
// model is used, so a study without one never needs it installed.
import { inBatches, type FrozenBackbone } from './backbone.ts';
import { ModelFileError } from './errors.ts';
import { prepareBatch } from './preprocess.ts';
import { chooseOutput, planInput, toDim, type FrozenOptions, type ModelSignature } from './signature.ts';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

async function ort(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch {
    throw new Error('ONNX models need the optional package onnxruntime-node: npm install onnxruntime-node');
  }
}

async function openSession(file: string): Promise<Session> {
  const { InferenceSession } = await ort();
  try {
    return await InferenceSession.create(file);
  } catch (error) {
    const message = (error as Error).message;
    if (/no such file|ENOENT|File doesn't exist/i.test(message)) throw new ModelFileError(file, 'model file not found');
    throw new ModelFileError(file, `not a readable ONNX model (${message.replace(/^.*failed:\s*/, '')})`);
  }
}

function signatureOf(file: string, session: Session): ModelSignature {
  const info = (metadata: readonly unknown[], names: readonly string[]) =>
    names.map((name, i) => {
      const meta = metadata[i] as { isTensor?: boolean; shape?: readonly unknown[] } | undefined;
      return { name, shape: meta?.isTensor && meta.shape ? meta.shape.map(toDim) : undefined };
    });
  return {
    file,
    inputs: info(session.inputMetadata, session.inputNames),
    outputs: info(session.outputMetadata, session.outputNames),
  };
}

/** Inputs and outputs of an ONNX model, without running it (onnxruntime parses the graph, no inference). */
export async function inspectOnnx(file: string): Promise<ModelSignature> {
  const session = await openSession(file);
  try {
    return signatureOf(file, session);
  } finally {
    await session.release();
  }
}

export async function loadOnnxBackbone(file: string, options: FrozenOptions = {}): Promise<FrozenBackbone> {
  const { Tensor } = await ort();
  const session = await openSession(file);
  const signature = signatureOf(file, session);
  let plan;
  let output: string;
  try {
    plan = planInput(signature, options);
    output = chooseOutput(signature, options.output);
  } catch (error) {
    await session.release();
    throw error;
  }
  const batchSize = options.batchSize ?? 64;
  return {
    file,
    output,
    features: (images) =>
      inBatches(images, batchSize, async (start, count) => {
        const { data, dims } = prepareBatch(images, start, count, plan, options);
        let result;
        try {
          result = await session.run({ [plan.name]: new Tensor('float32', data, dims) }, [output]);
        } catch (error) {
          throw new ModelFileError(file, `inference failed on input [${dims.join(', ')}]: ${(error as Error).message}`);
        }
        const tensor = result[output];
        const values = tensor.data as Float32Array;
        return { data: values, dim: values.length / count };
      }),
    dispose: () => session.release(),
  };
}
