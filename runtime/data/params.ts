// Reading typed values out of a spec's params, with one clear error when a value has the wrong type or range.
// The checker rejects most bad values before a run; these guards keep the runtime honest when called directly.
import { DataError } from './errors.ts';
import type { Params } from './specs.ts';

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function numberParam(params: Params, owner: string, name: string, fallback?: number, rule: NumberRule = {}): number {
  const value = params[name] ?? fallback;
  if (value === undefined) throw new DataError(`${owner}: missing required attribute '${name}'`);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DataError(`${owner}: '${name}' must be a number, got ${JSON.stringify(value)}`);
  }
  if (rule.integer && !Number.isInteger(value)) throw new DataError(`${owner}: '${name}' must be a whole number, got ${value}`);
  if (rule.min !== undefined && value < rule.min) throw new DataError(`${owner}: '${name}' must be ≥ ${rule.min}, got ${value}`);
  if (rule.max !== undefined && value > rule.max) throw new DataError(`${owner}: '${name}' must be ≤ ${rule.max}, got ${value}`);
  return value;
}

export function stringParam(params: Params, owner: string, name: string): string;
export function stringParam(params: Params, owner: string, name: string, optional: true): string | undefined;
export function stringParam(params: Params, owner: string, name: string, optional = false): string | undefined {
  const value = params[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new DataError(`${owner}: '${name}' must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function listParam<T extends 'number' | 'string'>(
  params: Params,
  owner: string,
  name: string,
  type: T,
): T extends 'number' ? number[] : string[] {
  const value = params[name];
  if (!Array.isArray(value) || value.some((item) => typeof item !== type)) {
    throw new DataError(`${owner}: '${name}' must be a list of ${type}s, got ${JSON.stringify(value)}`);
  }
  return value as T extends 'number' ? number[] : string[];
}
