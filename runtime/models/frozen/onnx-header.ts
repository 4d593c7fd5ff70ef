// An ONNX model's inputs and outputs read straight from its protobuf bytes, synchronously and without
// onnxruntime: what `check` needs to validate a study's `onnx` model in milliseconds (no session, no
// inference). Only the fields on the path ModelProto.graph.{input, output, initializer} are decoded; the
// weights themselves (initializer raw_data) are skipped over by length.
import { readFileSync } from 'node:fs';
import { ModelFileError } from './errors.ts';
import type { Dim, ModelSignature, TensorInfo } from './signature.ts';

interface Field {
  number: number;
  wire: number;
  /** Varint value (wire 0). */
  value?: number;
  /** Bytes (wire 2). */
  bytes?: Uint8Array;
}

class Malformed extends Error {}

/** The top-level fields of one protobuf message. */
function fields(buffer: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= buffer.length) throw new Malformed('truncated varint');
      const byte = buffer[at++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Malformed('varint too long');
  };
  while (at < buffer.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (number === 0) throw new Malformed('field number 0');
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new Malformed('truncated field');
      out.push({ number, wire, bytes: buffer.subarray(at, at + length) });
      at += length;
    } else throw new Malformed(`wire type ${wire}`);
    if (at > buffer.length) throw new Malformed('truncated field');
  }
  return out;
}

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : '');
const messages = (list: Field[], number: number) =>
  list.filter((f) => f.number === number && f.bytes).map((f) => f.bytes!);

/** ValueInfoProto → name and shape (TypeProto.tensor_type.shape.dim: dim_value, or dim_param → dynamic). */
function valueInfo(bytes: Uint8Array): TensorInfo {
  const info = fields(bytes);
  const name = text(messages(info, 1)[0]);
  const tensor = messages(info, 2).flatMap((type) => messages(fields(type), 1))[0];
  const shape = tensor && messages(fields(tensor), 2)[0];
  if (!shape) return { name, shape: undefined };
  const dims = messages(fields(shape), 1).map((dim): Dim => {
    const value = fields(dim).find((f) => f.number === 1 && f.wire === 0)?.value;
    return value === undefined ? null : value;
  });
  return { name, shape: dims };
}

/** Inputs (less the initializers some exporters also list as inputs) and outputs of an ONNX file. */
export function readOnnxSignature(file: string): ModelSignature {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === 'ENOENT' ? 'model file not found' : `cannot read the model (${code})`);
  }
  try {
    const model = fields(bytes);
    const irVersion = model.find((f) => f.number === 1 && f.wire === 0);
    const graph = messages(model, 7)[0];
    if (!irVersion || !graph) throw new Malformed('no ir_version or graph');
    const parts = fields(graph);
    const weights = new Set(messages(parts, 5).map((tensor) => text(messages(fields(tensor), 8)[0])));
    return {
      file,
      inputs: messages(parts, 11)
        .map(valueInfo)
        .filter((input) => !weights.has(input.name)),
      outputs: messages(parts, 12).map(valueInfo),
    };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    throw new ModelFileError(file, `not an ONNX model (${error.message})`);
  }
}
