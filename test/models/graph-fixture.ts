// A small TF.js graph model (conv → relu → global mean → dense) in the converter's model.json format with its
// weights in two shards: shared by the graph-backbone tests and the frozen-backbone study tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../runtime/random.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const shapeAttr = (dims: number[]) => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } });
const constNode = (name: string, dtype: 'DT_FLOAT' | 'DT_INT32', dims: number[]) => ({
  name,
  op: 'Const',
  attr: { value: { tensor: { dtype, tensorShape: shapeAttr(dims).shape } }, dtype: { type: dtype } },
});

const random = new Random(3);
export const filter = Float32Array.from({ length: 3 * 3 * 3 * 2 }, () => random.normal());
export const dense = Float32Array.from({ length: 2 * 2 }, () => random.normal());
export const axes = Int32Array.from([1, 2]);

/** Writes model.json + two shards into a fresh folder; `inputDims` lets a test give the input another rank. */
export function writeModel(inputDims = [-1, 6, 6, 3]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-graph-'));
  const nodes = [
    { name: 'pixels', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: shapeAttr(inputDims) } },
    constNode('conv/filter', 'DT_FLOAT', [3, 3, 3, 2]),
    {
      name: 'conv/Conv2D',
      op: 'Conv2D',
      input: ['pixels', 'conv/filter'],
      attr: {
        T: { type: 'DT_FLOAT' },
        strides: { list: { i: ['1', '1', '1', '1'] } },
        padding: { s: b64('SAME') },
        data_format: { s: b64('NHWC') },
        dilations: { list: { i: ['1', '1', '1', '1'] } },
      },
    },
    { name: 'conv/Relu', op: 'Relu', input: ['conv/Conv2D'], attr: { T: { type: 'DT_FLOAT' } } },
    constNode('pool/axes', 'DT_INT32', [2]),
    {
      name: 'pool/Mean',
      op: 'Mean',
      input: ['conv/Relu', 'pool/axes'],
      attr: { keep_dims: { b: false }, T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' } },
    },
    constNode('dense/kernel', 'DT_FLOAT', [2, 2]),
    {
      name: 'logits',
      op: 'MatMul',
      input: ['pool/Mean', 'dense/kernel'],
      attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } },
    },
  ];
  const json = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: 'hand',
    modelTopology: { node: nodes, versions: { producer: 1 } },
    weightsManifest: [
      { paths: ['group1-shard1of2.bin'], weights: [{ name: 'conv/filter', shape: [3, 3, 3, 2], dtype: 'float32' }] },
      {
        paths: ['group1-shard2of2.bin'],
        weights: [
          { name: 'pool/axes', shape: [2], dtype: 'int32' },
          { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' },
        ],
      },
    ],
  };
  const file = join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of2.bin'), Buffer.from(filter.buffer));
  writeFileSync(
    join(dir, 'group1-shard2of2.bin'),
    Buffer.concat([Buffer.from(axes.buffer), Buffer.from(dense.buffer)]),
  );
  return { dir, file };
}
