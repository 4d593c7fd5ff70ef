// tint_and_flip: compiled from tint_and_flip.study by `shiftlab compile`. Plain TypeScript over shiftlab/runtime:
// read it, edit it, commit it. Run it with `npx tsx <this file> [--backend auto|wasm|cpu|tensorflow] [--workers N]
// [--cache DIR] [--out DIR]` (or SHIFTLAB_BACKEND, SHIFTLAB_WORKERS, SHIFTLAB_CACHE, SHIFTLAB_OUT); importing it only builds `plan`.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_BACKEND,
  DEFAULT_CACHE_DIR,
  StudyBuilder,
  defaultOutDir,
  describeResultPaths,
  describeRunFailures,
  interruptOnSignals,
  parseBackendChoice,
  parseWorkerCount,
  recipe,
  runExitCode,
  runStudy,
  type ModelSpec,
  type RecipeSpec,
  type ShiftRef,
  type SourceRef,
  type SourceSpec,
  type TransformSpec,
} from 'shiftlab/runtime';

// Where each declaration sits in tint_and_flip.study: errors from the builder and from failing jobs name these lines.
const at = {
  digits: {
    file: 'examples/tint_and_flip.study',
    line: 6,
    column: 3,
    text: 'data digits = mnist { train 12000, test 2000 }',
  },
  clothes: {
    file: 'examples/tint_and_flip.study',
    line: 7,
    column: 3,
    text: 'data clothes = fashion_mnist { train 20000 }',
  },
  reference: {
    file: 'examples/tint_and_flip.study',
    line: 9,
    column: 3,
    text: 'distribution reference = digits | tint { strength 0.25, spurious 0.8 }',
  },
  random_tint: {
    file: 'examples/tint_and_flip.study',
    line: 10,
    column: 3,
    text: 'distribution random_tint = digits | tint { strength 0.25, spurious 0 }',
  },
  flipped: {
    file: 'examples/tint_and_flip.study',
    line: 11,
    column: 3,
    text: 'distribution flipped = reference | vflip',
  },
  broad_data: {
    file: 'examples/tint_and_flip.study',
    line: 23,
    column: 10,
    text: 'data clothes | augment { vflip 0.5, tint 0.5 }',
  },
  broad: { file: 'examples/tint_and_flip.study', line: 21, column: 3, text: 'pretrain broad {' },
  from_scratch: { file: 'examples/tint_and_flip.study', line: 27, column: 3, text: 'baseline from_scratch {' },
  fine_tuned: { file: 'examples/tint_and_flip.study', line: 35, column: 3, text: 'arm fine_tuned {' },
  robustness: { file: 'examples/tint_and_flip.study', line: 44, column: 3, text: 'compare robustness {' },
  expect_line53: {
    file: 'examples/tint_and_flip.study',
    line: 53,
    column: 3,
    text: 'expect robustness.fine_tuned.flip > 0.02',
  },
  expect_line54: {
    file: 'examples/tint_and_flip.study',
    line: 54,
    column: 3,
    text: 'expect abs(robustness.fine_tuned.tint_bias) < 0.03',
  },
} satisfies Record<string, SourceRef>;

// tint_and_flip.study:2  study tint_and_flip {
const study = new StudyBuilder({
  name: 'tint_and_flip',
  title: 'Spurious tint (in-support) vs. vertical flip (out-of-support)',
  file: 'examples/tint_and_flip.study',
  seed: 0,
  source: studySource(),
  dir: fileURLToPath(new URL('./', import.meta.url)),
});

// tint_and_flip.study:6  data digits = mnist { train 12000, test 2000 }
const digits_source: SourceSpec = { kind: 'mnist', params: { train: 12000, test: 2000 } };
const digits = study.data('digits', digits_source, { val: 0.1 }, at.digits);

// tint_and_flip.study:7  data clothes = fashion_mnist { train 20000 }
const clothes_source: SourceSpec = { kind: 'fashion_mnist', params: { train: 20000, test: 10000 } };
const clothes = study.data('clothes', clothes_source, { val: 0.1 }, at.clothes);

// tint_and_flip.study:9  distribution reference = digits | tint { strength 0.25, spurious 0.8 }
const reference_transforms: TransformSpec[] = [{ kind: 'tint', params: { strength: 0.25, spurious: 0.8 } }];
const reference = study.distribution('reference', digits, reference_transforms, at.reference);

// tint_and_flip.study:10  distribution random_tint = digits | tint { strength 0.25, spurious 0 }
const random_tint_transforms: TransformSpec[] = [{ kind: 'tint', params: { strength: 0.25, spurious: 0 } }];
const random_tint = study.distribution('random_tint', digits, random_tint_transforms, at.random_tint);

// tint_and_flip.study:11  distribution flipped = reference | vflip
const flipped_transforms: TransformSpec[] = [
  { kind: 'tint', params: { strength: 0.25, spurious: 0.8 } },
  { kind: 'vflip', params: { p: 1 } },
];
const flipped = study.distribution('flipped', digits, flipped_transforms, at.flipped);

// tint_and_flip.study:23  data clothes | augment { vflip 0.5, tint 0.5 }
const broad_data_transforms: TransformSpec[] = [
  { kind: 'augment', params: { vflip: 0.5, hflip: 0, invert: 0, tint: 0.5, pad: 0, rotate: 0, noise: 0 } },
];
const broad_data = study.distribution('broad.data', clothes, broad_data_transforms, at.broad_data);

// tint_and_flip.study:16  model cnn = convnet { channels [16, 32], dense 64 }
const cnn: ModelSpec = { kind: 'convnet', channels: [16, 32], dense: 64 };

// tint_and_flip.study:18  recipe scratch { optimizer adam, lr 3e-3, batch 128, epochs 12, schedule cosine }
const scratch: RecipeSpec = recipe({ lr: 0.003, epochs: 12, schedule: 'cosine' });

// tint_and_flip.study:21  pretrain broad {
//     model cnn
//     data clothes | augment { vflip 0.5, tint 0.5 }
//     recipe scratch
//   }
const broad = study.pretrain('broad', { model: cnn, recipe: scratch, data: broad_data }, at.broad);

// tint_and_flip.study:27  baseline from_scratch {
//     model cnn
//     train reference
//     recipe scratch
//     checkpoints 4..12 // every epoch's checkpoint is one point of the line
//     copies 2
//   }
const from_scratch = study.baseline(
  'from_scratch',
  {
    model: cnn,
    train: reference,
    recipe: scratch,
    checkpoints: [4, 5, 6, 7, 8, 9, 10, 11, 12],
    copies: 2,
    limit: null,
    balancedBy: null,
  },
  at.from_scratch,
);

// tint_and_flip.study:19  recipe finetune { optimizer adam, lr 3e-4, batch 128, epochs 3 }
const finetune: RecipeSpec = recipe({ lr: 0.0003, epochs: 3 });

// tint_and_flip.study:35  arm fine_tuned {
//     init broad
//     strategy lp_ft
//     train reference
//     recipe finetune
//     sweep lr [1e-3, 3e-4, 1e-4] select accuracy on reference.val
//     copies 3
//   }
const fine_tuned = study.arm(
  'fine_tuned',
  {
    init: broad,
    model: cnn,
    strategy: 'lp_ft',
    head: 'keep',
    train: reference,
    recipe: finetune,
    sweep: {
      param: 'lr',
      values: [0.001, 0.0003, 0.0001],
      select: { metric: 'accuracy', distribution: reference, split: 'val', groups: ['label', 'aligned'] },
    },
    reweight: null,
    copies: 3,
    limit: null,
    balancedBy: null,
  },
  at.fine_tuned,
);

// tint_and_flip.study:13  shift tint_bias: in_support = reference -> random_tint
const tint_bias: ShiftRef = { name: 'tint_bias', from: reference, to: random_tint };

// tint_and_flip.study:14  shift flip: out_of_support = reference -> flipped
const flip: ShiftRef = { name: 'flip', from: reference, to: flipped };

// tint_and_flip.study:44  compare robustness {
//     arms [fine_tuned]
//     baseline from_scratch
//     shifts [tint_bias, flip]
//     metric accuracy
//     scale probit
//     interval 95%
//   }
const robustness = study.compare(
  'robustness',
  {
    arms: [fine_tuned],
    baseline: from_scratch,
    targets: [
      { label: 'tint_bias', shift: tint_bias, part: null },
      { label: 'flip', shift: flip, part: null },
    ],
    metric: 'accuracy',
    scale: 'probit',
    interval: 0.95,
    intervalRule: 'regression',
    baselinePoints: 'mean_of_copies',
    groups: ['label', 'aligned'],
  },
  at.robustness,
);

// tint_and_flip.study:53  expect robustness.fine_tuned.flip > 0.02
study.expect(
  {
    op: '>',
    left: { op: 'result', compare: robustness, arm: 'fine_tuned', target: 'flip' },
    right: { op: 'number', value: 0.02 },
  },
  'robustness.fine_tuned.flip > 0.02',
  at.expect_line53,
);

// tint_and_flip.study:54  expect abs(robustness.fine_tuned.tint_bias) < 0.03
study.expect(
  {
    op: '<',
    left: { op: 'abs', args: [{ op: 'result', compare: robustness, arm: 'fine_tuned', target: 'tint_bias' }] },
    right: { op: 'number', value: 0.03 },
  },
  'abs(robustness.fine_tuned.tint_bias) < 0.03',
  at.expect_line54,
);

// The jobs and content hashes `shiftlab run` executes for this study.
export const plan = study.plan();

// Run when executed directly, with the defaults of `shiftlab run`; exit code 1 when an expectation fails.
if (isMain()) {
  const { values: options } = parseArgs({
    options: {
      backend: { type: 'string' },
      workers: { type: 'string' },
      cache: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const interruption = interruptOnSignals();
  const result = await runStudy(plan, {
    backend: parseBackendChoice(options.backend ?? process.env.SHIFTLAB_BACKEND ?? DEFAULT_BACKEND),
    workers: parseWorkerCount(options.workers ?? process.env.SHIFTLAB_WORKERS),
    cacheDir: resolve(options.cache ?? process.env.SHIFTLAB_CACHE ?? DEFAULT_CACHE_DIR),
    outDir: options.out ?? process.env.SHIFTLAB_OUT ?? defaultOutDir(plan),
    signal: interruption.signal,
    meta: { title: study.info.title ?? undefined, file: study.info.file, source: study.info.source },
  });
  interruption.dispose();
  process.stdout.write(describeResultPaths(result.paths));
  process.stderr.write(describeRunFailures(result, study.info.file));
  process.exitCode = runExitCode(result);
}

/** True when this file is the program being run (not imported). */
function isMain(): boolean {
  return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
}

/** tint_and_flip.study as written (results record it). */
function studySource(): string {
  return [
    '// Pre-training helps a model extrapolate; it does not undo a bias.',
    'study tint_and_flip {',
    '  title "Spurious tint (in-support) vs. vertical flip (out-of-support)"',
    '  seed 0',
    '',
    '  data digits = mnist { train 12000, test 2000 }',
    '  data clothes = fashion_mnist { train 20000 }',
    '',
    '  distribution reference = digits | tint { strength 0.25, spurious 0.8 }',
    '  distribution random_tint = digits | tint { strength 0.25, spurious 0 }',
    '  distribution flipped = reference | vflip',
    '',
    '  shift tint_bias: in_support = reference -> random_tint',
    '  shift flip: out_of_support = reference -> flipped',
    '',
    '  model cnn = convnet { channels [16, 32], dense 64 }',
    '',
    '  recipe scratch { optimizer adam, lr 3e-3, batch 128, epochs 12, schedule cosine }',
    '  recipe finetune { optimizer adam, lr 3e-4, batch 128, epochs 3 }',
    '',
    '  pretrain broad {',
    '    model cnn',
    '    data clothes | augment { vflip 0.5, tint 0.5 }',
    '    recipe scratch',
    '  }',
    '',
    '  baseline from_scratch {',
    '    model cnn',
    '    train reference',
    '    recipe scratch',
    "    checkpoints 4..12 // every epoch's checkpoint is one point of the line",
    '    copies 2',
    '  }',
    '',
    '  arm fine_tuned {',
    '    init broad',
    '    strategy lp_ft',
    '    train reference',
    '    recipe finetune',
    '    sweep lr [1e-3, 3e-4, 1e-4] select accuracy on reference.val',
    '    copies 3',
    '  }',
    '',
    '  compare robustness {',
    '    arms [fine_tuned]',
    '    baseline from_scratch',
    '    shifts [tint_bias, flip]',
    '    metric accuracy',
    '    scale probit',
    '    interval 95%',
    '  }',
    '',
    '  expect robustness.fine_tuned.flip > 0.02',
    '  expect abs(robustness.fine_tuned.tint_bias) < 0.03',
    '}',
    '',
  ].join('\n');
}
