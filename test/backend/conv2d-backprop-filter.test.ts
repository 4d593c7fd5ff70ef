// Conv2DBackpropFilter (a WebAssembly SIMD loop) against the cpu kernel on shapes the generic cases in
// kernels.test.ts leave out: 5×5 kernels, stride 2 with 'same' on odd sizes, one and three input
// channels, batch 1, non-square images, kernels larger than the stride window, and output channel counts
// that take the loop's 16-wide, 4-wide and single-channel paths together.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareWithCpu, randomInput } from './compare.ts';

const TOLERANCE = 1e-4;
const CASES: { x: number[]; filter: number[]; stride: number | [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [1, 9, 9, 1], filter: [5, 5, 1, 4], stride: 1, pad: 'same' },
  { x: [1, 9, 9, 3], filter: [5, 5, 3, 2], stride: 2, pad: 'same' },
  { x: [2, 11, 7, 3], filter: [5, 5, 3, 6], stride: 2, pad: 'valid' },
  { x: [1, 7, 10, 1], filter: [3, 3, 1, 5], stride: 2, pad: 'same' },
  { x: [3, 6, 5, 3], filter: [1, 1, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 8, 9, 2], filter: [3, 2, 2, 3], stride: [2, 1], pad: 'same' },
  { x: [1, 4, 4, 1], filter: [4, 4, 1, 1], stride: 1, pad: 'valid' },
  { x: [1, 3, 3, 3], filter: [5, 5, 3, 2], stride: 2, pad: 'same' },
  { x: [2, 7, 7, 1], filter: [3, 3, 1, 16], stride: 1, pad: 'same' },
  { x: [2, 6, 6, 3], filter: [3, 3, 3, 22], stride: 1, pad: 'valid' },
  { x: [1, 7, 6, 2], filter: [3, 3, 2, 37], stride: 2, pad: 'same' },
];

function outSize(size: number, k: number, stride: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.ceil((size - k + 1) / stride);
}

let seed = 500;
for (const { x, filter, stride, pad } of CASES) {
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  const dyShape = [x[0], outSize(x[1], filter[0], sh, pad), outSize(x[2], filter[1], sw, pad), filter[3]];
  test(`Conv2DBackpropFilter matches cpu: x ${x} filter ${filter} stride ${sh},${sw} ${pad}`, async () => {
    const inputs = { x: randomInput(x, seed++), dy: randomInput(dyShape, seed++) };
    const attrs = { strides: [sh, sw], pad, dataFormat: 'NHWC', filterShape: filter };
    const error = await compareWithCpu('Conv2DBackpropFilter', inputs, attrs);
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });
}

test.run();
