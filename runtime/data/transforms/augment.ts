// `augment { vflip 0.5, tint 0.5, … }`: nothing is transformed here. The settings are recorded on the
// training split, and the trainer applies augmentBatch to each batch; val and test splits stay clean.
import { AUGMENT_SETTINGS, IMAGE_ONLY_SETTINGS, type AugmentSetting } from '../augment.ts';
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { exampleLength, imageDims } from '../ops.ts';
import { numberParam } from '../params.ts';
import { channelsForTint } from './pixel.ts';
import type { Transform } from './transform.ts';

/** Grey images as 3 equal channels, so random tints can be applied per batch without changing the shape. */
function toThreeChannels(ds: Dataset): Dataset {
  const pixels = exampleLength(ds.shape);
  const x = new Float32Array(ds.size * pixels * 3);
  for (let j = 0; j < ds.size * pixels; j++) x[3 * j] = x[3 * j + 1] = x[3 * j + 2] = ds.x[j];
  return { ...ds, shape: [ds.shape[0], ds.shape[1], 3], x };
}

export const augment: Transform = (ds, params, { split }) => {
  const settings: Record<string, number> = {};
  for (const name of Object.keys(params)) {
    if (!(name in AUGMENT_SETTINGS)) {
      throw new DataError(`augment: unknown setting '${name}' (known: ${Object.keys(AUGMENT_SETTINGS).join(', ')})`);
    }
    const probability = ['vflip', 'hflip', 'invert', 'tint', 'tint_strength'].includes(name);
    settings[name] = numberParam(params, 'augment', name, undefined, probability ? { min: 0, max: 1 } : { min: 0 });
    if (settings[name] > 0 && IMAGE_ONLY_SETTINGS.includes(name as AugmentSetting)) imageDims(ds, `augment ${name}`);
  }
  const tinted = (settings.tint ?? 0) > 0 && channelsForTint(ds, 'augment tint') === 1 ? toThreeChannels(ds) : ds;
  if (split !== 'train') return tinted;
  return { ...tinted, augmentation: { ...ds.augmentation, ...settings } };
};
