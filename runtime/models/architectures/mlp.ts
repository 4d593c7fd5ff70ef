// `mlp { hidden [128] }`: dense relu layers on the flattened input; `hidden []` is logistic regression.
import type { MlpSpec } from '../spec.ts';
import { numbersParam, type Symbolic } from './architecture.ts';
import { layered } from './layered.ts';

export const mlp = layered<MlpSpec>({
  doc: 'a multi-layer perceptron (inputs flattened); `hidden []` is logistic regression',
  attributes: {
    hidden: { type: { type: 'numberList', integer: true, min: 1 }, default: [128], doc: 'hidden layer widths' },
  },
  input: 'any',
  toSpec: (params) => ({ kind: 'mlp', hidden: numbersParam(params, 'hidden') }),
  features(spec, input, { tfl, seeds }) {
    let x = input.shape.length > 2 ? (tfl.layers.flatten().apply(input) as Symbolic) : input;
    for (const units of spec.hidden) {
      x = tfl.layers.dense({ units, activation: 'relu', kernelInitializer: seeds.he() }).apply(x) as Symbolic;
    }
    return x;
  },
});
