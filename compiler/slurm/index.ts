export { planStages, type Stage } from './stages.ts';
export {
  LOG_DIR,
  shellQuote,
  slurmScripts,
  STAGE_FILE_PATTERN,
  stageName,
  SUBMIT_SCRIPT,
  type GeneratedFile,
  type SlurmResources,
  type SlurmScriptInput,
} from './scripts.ts';
