// Reader for the IDX format used by MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
// (0, 0, type, rank), `rank` big-endian uint32 dimension sizes, then the values. Only unsigned bytes
// (type 0x08) are accepted: that is what MNIST-style image and label files hold.
import { readFileSync } from 'node:fs';
import { DataError } from './errors.ts';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

export function parseIdx(buffer: Uint8Array, file: string): IdxArray {
  if (buffer.length < 4) throw new DataError(`${file}: not an IDX file (only ${buffer.length} bytes)`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const type = buffer[2];
  const rank = buffer[3];
  if (buffer[0] !== 0 || buffer[1] !== 0 || rank === 0) {
    const magic = view.getUint32(0).toString(16).padStart(8, '0');
    throw new DataError(`${file}: wrong magic number 0x${magic} (an IDX file starts with 0x0000TTRR)`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw new DataError(`${file}: unsupported IDX value type 0x${type.toString(16)} (only unsigned bytes, 0x08)`);
  }
  const headerLength = 4 + 4 * rank;
  if (buffer.length < headerLength) throw new DataError(`${file}: truncated IDX header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((product, side) => product * side, 1);
  const actual = buffer.length - headerLength;
  if (actual < expected) {
    throw new DataError(
      `${file}: truncated IDX data: dimensions [${dims.join(', ')}] need ${expected} bytes, found ${actual}`,
    );
  }
  return { dims, data: buffer.subarray(headerLength, headerLength + expected) };
}

export function readIdxFile(file: string): IdxArray {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw new DataError(`${file}: cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseIdx(buffer, file);
}
