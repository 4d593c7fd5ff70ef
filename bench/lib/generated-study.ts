// The study bench/compiler.ts times: N arms over one data set, shift, model and baseline (tests compile it too).
/** A valid study: one data, two distributions, one shift, one model, recipes, a baseline, N arms, one compare. */
export function generateStudy(arms: number): string {
  const names = Array.from({ length: arms }, (_, i) => `arm_${i}`);
  const armBlocks = names.map(
    (name, i) =>
      `  arm ${name} {\n    init broad\n    strategy ft\n    train reference\n    recipe finetune { lr ${i + 1}e-6 }\n  }\n`,
  );
  return `study generated_${arms} {
  title "Generated study with ${arms} arms"
  seed 0

  data digits = mnist { train 2000, test 500 }

  distribution reference = digits | tint { strength 0.25, spurious 0.8 }
  distribution flipped = reference | vflip

  shift flip: out_of_support = reference -> flipped

  model cnn = convnet { channels [8, 16], dense 32 }

  recipe scratch { optimizer adam, lr 1e-3, batch 64, epochs 3 }
  recipe finetune { optimizer adam, lr 5e-4, batch 64, epochs 1 }

  pretrain broad {
    model cnn
    data digits | augment { vflip 0.5, tint 0.5 }
    recipe scratch
  }

  baseline from_scratch {
    model cnn
    train reference
    recipe scratch
    checkpoints 1..3
  }

${armBlocks.join('\n')}
  compare robustness {
    arms [${names.join(', ')}]
    baseline from_scratch
    shifts [flip]
    metric accuracy
    scale probit
    interval 95%
  }
}
`;
}
