// `resnet { blocks 2, width 16 }`: a small residual network.
import { count } from '../../schema.ts';
import type { ResnetSpec } from '../spec.ts';
import { conv, numberParam, numbersParam, type Symbolic } from './architecture.ts';
import { layered } from './layered.ts';

/**
 * No normalisation layers: a 3×3 stem, then per stage a stride-2 transition (except the first) and
 * `blocks[i]` blocks `x + conv(relu(conv(x)))`. The second conv of a block starts near zero so every block
 * begins close to the identity, which keeps an unnormalised net trainable.
 */
export const resnet = layered<ResnetSpec>({
  doc: 'a small residual network',
  attributes: { blocks: count('residual blocks', 2), width: count('channels', 16) },
  input: 'image',
  // `blocks 2` is a single stage of two blocks.
  toSpec: (params) => ({ kind: 'resnet', blocks: numbersParam(params, 'blocks'), width: numberParam(params, 'width') }),
  features(spec, input, kit) {
    const { tfl, seeds } = kit;
    let x = conv(kit, spec.width, 1, 'relu', seeds.he()).apply(input) as Symbolic;
    spec.blocks.forEach((blocks, stage) => {
      const filters = spec.width * 2 ** stage;
      if (stage > 0) x = conv(kit, filters, 2, 'relu', seeds.he()).apply(x) as Symbolic;
      for (let i = 0; i < blocks; i++) {
        const inner = conv(kit, filters, 1, 'relu', seeds.he()).apply(x) as Symbolic;
        const small = tfl.initializers.varianceScaling({ scale: 0.01, mode: 'fanIn', seed: seeds.next() });
        const residual = conv(kit, filters, 1, 'linear', small).apply(inner) as Symbolic;
        x = tfl.layers
          .activation({ activation: 'relu' })
          .apply(tfl.layers.add().apply([x, residual]) as Symbolic) as Symbolic;
      }
    });
    return tfl.layers.globalAveragePooling2d({}).apply(x) as Symbolic;
  },
});
