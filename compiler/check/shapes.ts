import type { InputShape } from './typed.ts';

/** `28×28×3 images`, `16-dimensional vectors`. */
export const describeShape = (shape: InputShape): string =>
  shape.kind === 'image'
    ? `${shape.height}×${shape.width}×${shape.channels} images`
    : shape.kind === 'vector'
      ? `${shape.dim}-dimensional vectors`
      : 'unknown inputs';

/** False only when both shapes are known and a model built for one cannot read the other. */
export function compatibleShapes(a: InputShape, b: InputShape): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown') return true;
  if (a.kind === 'vector' && b.kind === 'vector') return a.dim === b.dim;
  if (a.kind === 'image' && b.kind === 'image')
    return a.height === b.height && a.width === b.width && a.channels === b.channels;
  return false;
}
