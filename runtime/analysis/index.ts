// Effective robustness and support splitting: the numbers a study exists for.
export * from './effective-robustness.ts';
export * from './comparison.ts';
export * from './support-split.ts';
export * from './support-parts.ts';
export * from './epsilon-sweep.ts';
export * from './domain-classifier.ts';
export { areaUnderRoc } from './roc.ts';
export { fitTemperature } from './temperature.ts';
