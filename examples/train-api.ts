// Trains a baseline from scratch and a pre-trained, fine-tuned model on real MNIST through the public
// runtime API alone (`shiftlab/runtime`), and prints their accuracy on clean and vertically flipped
// test digits. Pre-training sees flipped digits (augment vflip 0.5); the reference data never does.
// Run: node --import tsx examples/train-api.ts   (about a minute on 2 cores)
import {
  applyTransform,
  buildModel,
  evaluate,
  fineTune,
  initBackend,
  loadSource,
  predict,
  recipe,
  subset,
  train,
  type Dataset,
} from 'shiftlab/runtime';

const seed = 0;
const backend = await initBackend();
console.log(`backend: ${backend.name}`);

const digits = await loadSource({ kind: 'mnist', params: { train: 4000, test: 1000 } }, seed);
const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
const broad = applyTransform(
  subset(digits.train, range(0, 2000)),
  { kind: 'augment', params: { vflip: 0.5 } },
  seed,
  'train',
);
const reference = subset(digits.train, range(2000, 4000));
const flipped = applyTransform(digits.test, { kind: 'vflip', params: { p: 1 } }, seed, 'test');

const spec = { kind: 'convnet' as const, channels: [8, 16], dense: 32 };
const fit = recipe({ optimizer: 'adam', lr: 3e-3, batch: 64, epochs: 2, schedule: 'cosine' });

const report = (name: string, model: ReturnType<typeof buildModel>) => {
  const accuracy = (data: Dataset) => evaluate('accuracy', predict(model, data), data).value.toFixed(3);
  console.log(`${name.padEnd(12)} clean ${accuracy(digits.test)}  flipped ${accuracy(flipped)}`);
};

const baseline = buildModel(spec, reference.shape, reference.classes, seed);
await train(baseline, reference, fit, {
  seed,
  onEpoch: (epoch, loss) => console.log(`baseline epoch ${epoch}: loss ${loss.toFixed(3)}`),
});
report('baseline', baseline);

const pretrained = buildModel(spec, broad.shape, broad.classes, seed + 1);
await train(pretrained, broad, fit, { seed: seed + 1 });
const { model: fineTuned } = await fineTune(pretrained, reference, { ...fit, lr: 1e-3 }, { strategy: 'ft', seed });
report('fine-tuned', fineTuned);
