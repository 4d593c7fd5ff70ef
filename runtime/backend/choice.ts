// Backend names and their parsing, apart from index.ts so that reading a --backend flag does not load TF.js
// (a fully cached run never needs it).
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The requested backend cannot be used here (not installed, failed to start, unknown name). */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Parses a backend name from a flag or the environment; throws a clear error for anything else. */
export function parseBackendChoice(value: string, source = 'backend'): BackendChoice {
  const choice = value.trim().toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(choice)) return choice as BackendChoice;
  throw new BackendUnavailableError(`unknown ${source} '${value}': expected one of ${BACKEND_CHOICES.join(', ')}`);
}
