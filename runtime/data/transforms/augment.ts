// `augment { vflip 0.5, tint 0.5, … }`: nothing is transformed here. The settings are recorded on the
// training split, and the trainer applies augmentBatch (runtime/data/augment.ts) to each batch; val and
// test splits stay clean.
import { AUGMENT_SETTINGS, AUGMENT_TINT_STRENGTH, IMAGE_ONLY_SETTINGS, type AugmentSetting } from '../augment.ts';
import type { Dataset } from '../dataset.ts';
import { exampleLength, imageDims } from '../ops.ts';
import { channelsForTint } from './tint.ts';
import type { TransformDef } from './transform.ts';

/** Grey images as 3 equal channels, so random tints can be applied per batch without changing the shape. */
function toThreeChannels(ds: Dataset): Dataset {
  const pixels = exampleLength(ds.shape);
  const x = new Float32Array(ds.size * pixels * 3);
  for (let j = 0; j < ds.size * pixels; j++) x[3 * j] = x[3 * j + 1] = x[3 * j + 2] = ds.x[j];
  return { ...ds, shape: [ds.shape[0], ds.shape[1], 3], x };
}

// Random draws per example: a flip is shown with and without (never by every example, hence at most 0.5),
// borders, angles and noise anywhere up to their largest value, and a random tint in any colour.
const drawnFlip = (feature: AugmentSetting) => ({ feature, toggle: feature, atMost: 0.5 });
const tinting = [{ param: 'tint', above: 0 }];

export const augment: TransformDef = {
  doc: 'random augmentations drawn per example (for broad pre-training data)',
  attributes: AUGMENT_SETTINGS,
  records: [],
  input: 'any',
  drawnPerBatch: true,
  // A random tint makes grey images 3-channel in every split, so models see one shape throughout.
  reshape: (shape, params) => (shape.kind === 'image' && Number(params.tint) > 0 ? { ...shape, channels: 3 } : shape),
  support: [
    drawnFlip('vflip'),
    drawnFlip('hflip'),
    drawnFlip('invert'),
    { feature: 'pad', shift: 'pad', upTo: true },
    { feature: 'rotate', shift: 'rotate', upTo: true },
    { feature: 'noise', shift: 'noise', upTo: true },
    { feature: 'tint_strength', add: [[AUGMENT_TINT_STRENGTH, AUGMENT_TINT_STRENGTH]], when: tinting },
    { feature: 'tint_misaligned', set: [[0, 1]], when: tinting },
  ],
  apply(ds, params, { split }) {
    // Only the settings that are on are recorded: an absent one is off (augmentBatch reads it as 0).
    const settings: Record<string, number> = {};
    for (const name of Object.keys(AUGMENT_SETTINGS) as AugmentSetting[]) {
      const value = params[name] as number;
      if (value === 0) continue;
      settings[name] = value;
      if (IMAGE_ONLY_SETTINGS.includes(name)) imageDims(ds, `augment ${name}`);
    }
    const tinted = (settings.tint ?? 0) > 0 && channelsForTint(ds, 'augment tint') === 1 ? toThreeChannels(ds) : ds;
    if (split !== 'train') return tinted;
    return { ...tinted, augmentation: { ...ds.augmentation, ...settings } };
  },
};
