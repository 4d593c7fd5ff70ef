// What bench/compiler.ts times, in one module so it can be bundled the way the shipped CLI is (see built.ts).
export { parse } from '../../grammar/index.ts';
export { checkSource } from '../../compiler/check/index.ts';
export { planStudy } from '../../compiler/plan/index.ts';
export { compileSource } from '../../compiler/emit/index.ts';
