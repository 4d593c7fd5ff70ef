// `expect` claims: comparisons report their left side and pass when they hold (results name the operands).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateExpectation } from '../../runtime/jobs/handlers/expect.ts';
import type { ExpectExpression } from '../../runtime/jobs/specs.ts';

const result = (index: number): ExpectExpression => ({ op: 'result', index, path: 'er' });
const number = (value: number): ExpectExpression => ({ op: 'number', value });

test('a comparison reports its left side and passes when it holds', () => {
  const claim: ExpectExpression = { op: '>', left: result(0), right: number(0.02) };
  assert.equal(evaluateExpectation(claim, [0.05]), { value: 0.05, passed: true });
  assert.equal(evaluateExpectation(claim, [0.01]), { value: 0.01, passed: false });
  assert.is(evaluateExpectation({ ...claim, op: '>=' }, [0.02]).passed, true);
  assert.is(evaluateExpectation({ ...claim, op: '>' }, [0.02]).passed, false);
});

test('arithmetic, abs, min, max and negation', () => {
  // abs(a) < 0.03 with a = −0.04 fails; max(a, b) − 0.01 <= b holds when b is the larger.
  assert.equal(evaluateExpectation({ op: '<', left: { op: 'abs', args: [result(0)] }, right: number(0.03) }, [-0.04]), {
    value: 0.04,
    passed: false,
  });
  const claim: ExpectExpression = {
    op: '<=',
    left: { op: '-', left: { op: 'max', args: [result(0), result(1)] }, right: number(0.01) },
    right: result(1),
  };
  const outcome = evaluateExpectation(claim, [0.1, 0.3]);
  assert.ok(Math.abs(outcome.value - 0.29) < 1e-12);
  assert.ok(outcome.passed);
  assert.is(
    evaluateExpectation({ op: 'neg', operand: { op: 'min', args: [result(0), result(1)] } }, [0.1, 0.3]).value,
    -0.1,
  );
  assert.is(evaluateExpectation({ op: '+', left: result(0), right: number(1) }, [0.5]).value, 1.5);
});

test('a result index the job did not compute is an error, not a silent pass', () => {
  assert.throws(() => evaluateExpectation({ op: '>', left: result(3), right: number(0) }, [0.1]), /result 3/);
});

test.run();
