// `convnet { channels [16, 32], dense 64 }`: conv3x3-relu-maxpool per channel entry, a dense relu layer.
import { count } from '../../schema.ts';
import type { ConvnetSpec } from '../spec.ts';
import { conv, numberParam, numbersParam, type Symbolic } from './architecture.ts';
import { layered } from './layered.ts';

export const convnet = layered<ConvnetSpec>({
  doc: 'conv-pool blocks, a dense layer, a linear head',
  attributes: {
    channels: { type: { type: 'numberList', integer: true, min: 1 }, default: [16, 32], doc: 'conv layer channels' },
    dense: count('width of the dense layer before the head', 64),
  },
  input: 'image',
  toSpec: (params) => ({
    kind: 'convnet',
    channels: numbersParam(params, 'channels'),
    dense: numberParam(params, 'dense'),
  }),
  features(spec, input, kit) {
    const { tfl, seeds } = kit;
    let x = input;
    for (const filters of spec.channels) {
      x = conv(kit, filters, 1, 'relu', seeds.he()).apply(x) as Symbolic;
      x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as Symbolic;
    }
    x = tfl.layers.flatten().apply(x) as Symbolic;
    return tfl.layers
      .dense({ units: spec.dense, activation: 'relu', kernelInitializer: seeds.he() })
      .apply(x) as Symbolic;
  },
});
