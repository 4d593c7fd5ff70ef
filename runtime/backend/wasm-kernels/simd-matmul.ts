// The matrix product in WebAssembly SIMD (simd/matmul.wat), a read transposed or not, b untransposed,
// optionally with a bias row and ReLU as _FusedMatMul has them. XNNPACK packs its right operand whenever
// that operand is a tensor it has not seen, which in training is every call (see docs/performance.md,
// "Training step", step 8a). Shapes and options it does not cover return undefined, for the caller to
// hand to the original kernel.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.ts';
import { pointer, type BackendWasm } from './wasm-ops.ts';

/**
 * simd/matmul.wat: byte offsets of a, b, bias (0 for none) and the output; a[i, k] at
 * a + i · aRowStride + k · aKStride; relu 1 or 0.
 */
interface MatMulKernels {
  matmul(
    a: number,
    b: number,
    bias: number,
    out: number,
    aRowStride: number,
    aKStride: number,
    m: number,
    k: number,
    n: number,
    relu: number,
  ): void;
}

/**
 * Rows of a per call: the kernel's column blocks sweep a panel of rows, so the panel's rows of a and of
 * the output stay in cache across them (one sweep over all 784 rows of a weight gradient ran ~1.7× slower).
 */
const PANEL_ROWS = 64;

export interface Epilogue {
  bias?: TensorInfo;
  relu: boolean;
}

/**
 * a [...batch, M, K] (or [...batch, K, M] if transposeA) · b [...batch, K, N] (+ bias [N], ReLU) when both are float32 and their batch
 * dimensions are equal or one side has none (or a batch of one) to broadcast.
 */
export function simdMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  transposeA: boolean,
  b: TensorInfo,
  epilogue: Epilogue,
): TensorInfo | undefined {
  const { bias, relu } = epilogue;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kB, n] = b.shape.slice(-2);
  if (k !== kB) return undefined;
  if (bias && (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== n || bias.shape.at(-1) !== n)) {
    return undefined;
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const sizeA = util.sizeFromShape(batchA);
  const sizeB = util.sizeFromShape(batchB);
  let batch: number[];
  if (util.arraysEqual(batchA, batchB)) batch = batchA;
  else if (sizeB === 1 && batchB.length <= batchA.length) batch = batchA;
  else if (sizeA === 1 && batchA.length <= batchB.length) batch = batchB;
  else return undefined;

  const out = backend.makeOutput([...batch, m, n], 'float32');
  const { matmul } = simdKernels<MatMulKernels>(backend, 'matmul');
  const [aAt, bAt, outAt] = [pointer(backend, a), pointer(backend, b), pointer(backend, out)];
  const biasAt = bias ? pointer(backend, bias) : 0;
  const [aRowStride, aKStride] = transposeA ? [4, m * 4] : [k * 4, 4];
  for (let i = 0; i < Math.max(sizeA, sizeB); i++) {
    const aBase = aAt + (sizeA === 1 ? 0 : i * m * k * 4);
    const outBase = outAt + i * m * n * 4;
    for (let row = 0; row < m; row += PANEL_ROWS) {
      matmul(
        aBase + row * aRowStride,
        bAt + (sizeB === 1 ? 0 : i * k * n * 4),
        biasAt,
        outBase + row * n * 4,
        aRowStride,
        aKStride,
        Math.min(PANEL_ROWS, m - row),
        k,
        n,
        relu ? 1 : 0,
      );
    }
  }
  return out;
}
