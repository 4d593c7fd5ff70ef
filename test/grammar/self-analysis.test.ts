// The lexer and parser skip Chevrotain's grammar validations at start-up (they cost most of the parser's
// construction); this test runs them, so an ambiguous alternative, left recursion or a bad token pattern still
// fails the suite.
import { Lexer } from 'chevrotain';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allTokens, lexerConfig } from '../../grammar/lexer.ts';
import { StudyParser } from '../../grammar/parser.ts';

test('the token definitions pass Chevrotain lexer validation', () => {
  const lexer = new Lexer(allTokens, { ...lexerConfig, skipValidations: false });
  assert.equal(lexer.lexerDefinitionErrors, []);
});

test('the grammar passes Chevrotain self-analysis validation', () => {
  // performSelfAnalysis throws, listing every definition error, when validation finds one.
  assert.not.throws(() => new StudyParser({ validate: true }));
});

test.run();
