// Reads and checks results.json before anything renders it: a wrong or older schema is refused with a
// message that says what is wrong, never half-rendered.
import { readFileSync } from 'node:fs';
import { schemaVersion, type Results } from '../results.ts';

export class ResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}

const ARRAY_FIELDS = ['models', 'comparisons', 'splits', 'expectations'] as const;
const STRING_FIELDS = ['backend', 'planHash', 'createdAt'] as const;

export function parseResults(text: string, file = 'results.json'): Results {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ResultsError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ResultsError(`${file}: expected a JSON object`);
  const record = data as Record<string, unknown>;
  if (record.schemaVersion !== schemaVersion) {
    throw new ResultsError(
      `${file}: schemaVersion ${JSON.stringify(record.schemaVersion)} is not supported (expected ${schemaVersion})`,
    );
  }
  for (const field of ARRAY_FIELDS)
    if (!Array.isArray(record[field])) throw new ResultsError(`${file}: "${field}" must be an array`);
  for (const field of STRING_FIELDS)
    if (typeof record[field] !== 'string') throw new ResultsError(`${file}: "${field}" must be a string`);
  const study = record.study as Record<string, unknown> | undefined;
  if (!study || !['name', 'title', 'file', 'source'].every((key) => typeof study[key] === 'string')) {
    throw new ResultsError(`${file}: "study" must hold the strings name, title, file and source`);
  }
  return data as Results;
}

export function readResults(file: string): Results {
  return parseResults(readResultsText(file), file);
}

/** The text of a results.json, or a ResultsError saying why there is none. */
export function readResultsText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ResultsError(
      code === 'ENOENT' ? `${file}: no such file (run the study first)` : `${file}: cannot read (${code})`,
    );
  }
}
