import { checkSource } from '../../compiler/check/index.ts';

/** A study around the given body lines, with a valid core that checks clean. */
export const CORE = `
  data digits = mnist { train 1000, test 500 }
  distribution reference = digits | tint { strength 0.25, spurious 0.8 }
  distribution flipped = reference | vflip
  shift flip: out_of_support = reference -> flipped
  model cnn = convnet { channels [8], dense 16 }
  recipe fit { epochs 4 }
  baseline scratch { model cnn, train reference, recipe fit, checkpoints 2..4 }
  arm tuned { init scratch, train reference, recipe fit { epochs 2 } }
  compare er { arms [tuned], baseline scratch, shifts [flip] }`;

export function study(extra: string, core = CORE): string {
  return `study t {${core}\n${extra}\n}\n`;
}

export function check(source: string) {
  return checkSource(source, 'test.study');
}

/** `CODE@line:col` for each diagnostic. */
export function codes(source: string): string[] {
  return check(source).diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.column}`);
}
