import type { Command } from 'commander';
import { registerCheck } from './check.ts';
import { registerCompile } from './compile.ts';
import { registerDiff } from './diff.ts';
import { registerFmt } from './fmt.ts';
import { registerLsp } from './lsp.ts';
import { registerPlan } from './plan.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerSlurm } from './slurm.ts';

/** Each command module adds one subcommand to the program; the order here (the workflow: write, plan, run, share) is the order in `--help`. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerCheck,
  registerFmt,
  registerPlan,
  registerRun,
  registerReport,
  registerCompile,
  registerDiff,
  registerSlurm,
  registerLsp,
];
