import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RUNTIME_FORMAT_VERSION, canonicalJson, jobHash, planHash } from '../../runtime/plan.ts';

test('canonicalJson sorts keys at every level and drops undefined values', () => {
  const a = canonicalJson({ b: 1, a: { y: [1, { d: 2, c: 3 }], x: 'z' }, u: undefined });
  assert.is(a, '{"a":{"x":"z","y":[1,{"c":3,"d":2}]},"b":1}');
  assert.is(canonicalJson({ a: { x: 'z', y: [1, { c: 3, d: 2 }] }, b: 1 }), a);
});

test('canonicalJson keeps array order and rejects non-finite numbers', () => {
  assert.is.not(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.throws(() => canonicalJson({ lr: Number.NaN }), /non-finite/);
  assert.throws(() => canonicalJson({ lr: Infinity }), /non-finite/);
});

test('jobHash ignores key order but not kind, spec values or dependency hashes', () => {
  const base = jobHash('train', { epochs: 2, lr: 0.1 }, ['h1']);
  assert.is(jobHash('train', { lr: 0.1, epochs: 2 }, ['h1']), base);
  assert.is.not(jobHash('pretrain', { epochs: 2, lr: 0.1 }, ['h1']), base);
  assert.is.not(jobHash('train', { epochs: 3, lr: 0.1 }, ['h1']), base);
  assert.is.not(jobHash('train', { epochs: 2, lr: 0.1 }, ['h2']), base);
  assert.is.not(jobHash('train', { epochs: 2, lr: 0.1 }, []), base);
});

test('jobHash is sha256 of the canonical kind, spec, deps and runtime version', () => {
  const expected = createHash('sha256')
    .update(`{"deps":["d"],"kind":"load","runtime":${RUNTIME_FORMAT_VERSION},"spec":{"a":1,"b":2}}`)
    .digest('hex');
  assert.is(jobHash('load', { b: 2, a: 1 }, ['d']), expected);
});

test('planHash does not depend on job order', () => {
  assert.is(planHash([{ hash: 'a' }, { hash: 'b' }]), planHash([{ hash: 'b' }, { hash: 'a' }]));
  assert.is.not(planHash([{ hash: 'a' }]), planHash([{ hash: 'a' }, { hash: 'b' }]));
});

test.run();
