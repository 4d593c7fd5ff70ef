// The public runtime API (`shiftlab/runtime`): what compiled scripts and the executor call.
export * from './models/index.ts';
export * from './plan.ts';
export * from './exec/index.ts';
export * from './data/index.ts';
export * from './train/index.ts';
export * from './eval/index.ts';
export * from './interventions/index.ts';
export * from './backend/index.ts';
export * from './analysis/index.ts';
export * from './report/index.ts';
export * from './results.ts';
export * from './study/defaults.ts';
export { runStudy, defaultOutDir, type RunStudyOptions, type RunStudyResult } from './study/run.ts';
export {
  StudyBuilder,
  StudyBuildError,
  type ShiftRef,
  type StudyBuilderInfo,
  type ExpectInput,
} from './study/builder.ts';
export { assembleResults, metricsCsv, writeResultFiles } from './study/results.ts';
