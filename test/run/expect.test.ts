// `expect` claims: comparisons report their left side and pass when they hold; operands are named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateExpectation } from '../../runtime/jobs/handlers/expect.ts';
import type { ExpectExpression } from '../../runtime/jobs/specs.ts';

const result = (index: number): ExpectExpression => ({ op: 'result', index, path: 'er' });
const number = (value: number): ExpectExpression => ({ op: 'number', value });
const names = ['cmp.a.flip', 'cmp.b.flip'];

test('a comparison reports its left side, passes when it holds, and names every result it read', () => {
  const claim: ExpectExpression = { op: '>', left: result(0), right: number(0.02) };
  assert.equal(evaluateExpectation(claim, [0.05], names), { value: 0.05, passed: true, operands: { 'cmp.a.flip': 0.05 } });
  assert.equal(evaluateExpectation(claim, [0.01], names), { value: 0.01, passed: false, operands: { 'cmp.a.flip': 0.01 } });
  assert.is(evaluateExpectation({ ...claim, op: '>=' }, [0.02], names).passed, true);
  assert.is(evaluateExpectation({ ...claim, op: '>' }, [0.02], names).passed, false);
});

test('arithmetic, abs, min, max and negation', () => {
  // abs(a) < 0.03 with a = −0.04 fails; max(a, b) − 0.01 <= b holds when b is the larger.
  assert.equal(evaluateExpectation({ op: '<', left: { op: 'abs', args: [result(0)] }, right: number(0.03) }, [-0.04], names), {
    value: 0.04,
    passed: false,
    operands: { 'cmp.a.flip': -0.04 },
  });
  const claim: ExpectExpression = {
    op: '<=',
    left: { op: '-', left: { op: 'max', args: [result(0), result(1)] }, right: number(0.01) },
    right: result(1),
  };
  const outcome = evaluateExpectation(claim, [0.1, 0.3], names);
  assert.ok(Math.abs(outcome.value - 0.29) < 1e-12);
  assert.ok(outcome.passed);
  assert.equal(outcome.operands, { 'cmp.a.flip': 0.1, 'cmp.b.flip': 0.3 });
  assert.is(evaluateExpectation({ op: 'neg', operand: { op: 'min', args: [result(0), result(1)] } }, [0.1, 0.3], names).value, -0.1);
  assert.is(evaluateExpectation({ op: '+', left: result(0), right: number(1) }, [0.5], names).value, 1.5);
});

test('a result index the job did not compute is an error, not a silent pass', () => {
  assert.throws(() => evaluateExpectation({ op: '>', left: result(3), right: number(0) }, [0.1], names), /result 3/);
});

test.run();
