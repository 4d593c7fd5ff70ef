// `shiftlab compile`: a checked study → a standalone TypeScript script over the runtime's public API.
import { checkSource } from '../check/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import { emitScript, type EmitOptions } from './script.ts';

export { emitScript, RUNTIME_MODULE, type EmitOptions, type EmittedScript } from './script.ts';
export { recordBuilderCalls, type BuilderCall, type Recording } from './record.ts';

export interface CompiledSource {
  diagnostics: Diagnostic[];
  /** Null when the study has errors (see `diagnostics`). */
  code: string | null;
  plan: Plan | null;
}

/** Checks and compiles a study's text; `file` is how the script's span table names it. */
export async function compileSource(source: string, file: string, options: EmitOptions = {}): Promise<CompiledSource> {
  const { diagnostics, study, document } = checkSource(source, file);
  if (!study) return { diagnostics, code: null, plan: null };
  const { code, plan } = await emitScript(study, source, options, document);
  return { diagnostics, code, plan };
}
