// `tint { strength 0.25, spurious 0.8 }`: the paper's spurious colour.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { PALETTE, tint as tintExample } from '../image.ts';
import { imageDims } from '../ops.ts';
import { deriveSeed, Random } from '../../random.ts';
import { oneOf, probability } from '../../schema.ts';
import type { TransformDef } from './transform.ts';

/** Turns grey images into 3-channel ones (for tinting); colour images pass through. */
export function channelsForTint(ds: Dataset, transform: string): number {
  const { channels } = imageDims(ds, transform);
  if (channels !== 1 && channels !== 3) throw new DataError(`${transform} needs 1 or 3 channels, got ${channels}`);
  if (ds.classes > PALETTE.length)
    throw new DataError(`${transform} has ${PALETTE.length} colours, the data has ${ds.classes} classes`);
  return channels;
}

const tinted = { param: 'strength', above: 0 };

/**
 * `palette random`: one uniform random RGB colour per class, as the paper's code draws them. The colours come
 * from a fixed seed, not the stage's stream, so every split and every distribution of a study (a reference
 * and its shifted side) tints a class with the same colour, and the fixed palette's colours are not among them.
 */
export function randomPalette(classes: number): [number, number, number][] {
  const random = new Random(deriveSeed(0, 'tint', 'palette'));
  return Array.from({ length: classes }, () => [random.next(), random.next(), random.next()]);
}

/**
 * x ← (1 − s)·x + s·colour, the colour being the label's own with probability `spurious`, otherwise a
 * uniformly random class's (which may again be the label's, as in the paper's code: so the aligned fraction
 * is spurious + (1 − spurious)/classes). Grey images become 3-channel. Records `tint` (the colour's class)
 * and `aligned` (1 when it is the label's).
 */
export const tint: TransformDef = {
  doc: 'a class-coloured tint (3 channels)',
  attributes: {
    strength: probability('blend weight of the colour: x ← (1−s)·x + s·colour', 0.25),
    spurious: probability("probability the colour is the class's own (else a random class's)", 0.5),
    // No schema default: one would enter every existing tint spec and change its hash.
    palette: oneOf(
      ['fixed', 'random'],
      "the class colours: `fixed`, ten distinct colours (unset: fixed), or `random`, one uniform RGB colour per class drawn once from a fixed seed (the paper's); augment's tints always use the fixed ones",
    ),
  },
  records: ['tint', 'aligned'],
  input: 'image',
  reshape: (shape) => (shape.kind === 'image' ? { ...shape, channels: 3 } : shape),
  // A tint of strength s shows that strength; unless every colour is the class's own, colours a class
  // never gets (misaligned ones) appear too.
  support: [
    { feature: 'tint_strength', set: [['strength', 'strength']], when: [tinted] },
    { feature: 'tint_misaligned', set: [[0, 0]], when: [tinted, { param: 'spurious', atLeast: 1 }] },
    { feature: 'tint_misaligned', set: [[0, 1]], when: [tinted, { param: 'spurious', below: 1 }] },
  ],
  apply(ds, params, { random }) {
    const strength = params.strength as number;
    const spurious = params.spurious as number;
    const channels = channelsForTint(ds, 'tint');
    const palette = params.palette === 'random' ? randomPalette(ds.classes) : PALETTE;
    const { height, width } = imageDims(ds, 'tint');
    const pixels = height * width;
    const x = new Float32Array(ds.size * pixels * 3);
    const colours = new Int32Array(ds.size);
    const aligned = new Int32Array(ds.size);
    for (let i = 0; i < ds.size; i++) {
      const colour = random.chance(spurious) ? ds.y[i] : random.int(ds.classes);
      colours[i] = colour;
      aligned[i] = colour === ds.y[i] ? 1 : 0;
      tintExample(ds.x, i * pixels * channels, channels, x, i * pixels * 3, pixels, palette[colour], strength);
    }
    return { ...ds, shape: [height, width, 3], x, attributes: { ...ds.attributes, tint: colours, aligned } };
  },
};
