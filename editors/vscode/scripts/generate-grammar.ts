// Builds the TextMate grammar of .study files (editors/vscode/syntaxes/study.tmLanguage.json) from the
// language's own tables: the lexer's keywords and literal patterns, the checker's builtin sources,
// architectures, transforms and enum attributes. The JSON is committed (VS Code, vsce and the report read it
// as a file); test/editors/grammar.test.ts fails when it drifts from what this script builds.
// Usage: node --import tsx editors/vscode/scripts/generate-grammar.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtinFamilies, declarationTables, type AttributeTable } from '../../../compiler/check/builtins.ts';
import { declarationKeywords } from '../../../grammar/ast.ts';
import { SUPPORT_PARTS } from '../../../runtime/jobs/specs.ts';
import { Identifier, keywords, NumberLiteral, Percent, Study } from '../../../grammar/lexer.ts';

export const GRAMMAR_FILE = fileURLToPath(new URL('../syntaxes/study.tmLanguage.json', import.meta.url));
export const REGENERATE = 'node --import tsx editors/vscode/scripts/generate-grammar.ts';

// Words that only the parser or the value readers know, with no table to read them from. Keep in step with
// the named code; the golden tests of every study show each one scoped.
/** compiler/check/values.ts: `sweep F [..] select METRIC on D.S`, `reweight last_layer on D.S balanced_by [..]`. */
const VALUE_WORDS = ['select', 'on', 'balanced_by'];
const LAYERS = ['last_layer'];
/** grammar/parser.ts numeric: `4..12 step 2`. */
const STEP = 'step';

type Rule = Record<string, unknown>;

const words = (list: readonly string[]) => `\\b(?:${[...list].sort(byLengthThenName).join('|')})\\b`;
function byLengthThenName(a: string, b: string): number {
  return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
}
// Keywords are plain-string patterns (cheaper for the lexer at start-up); a RegExp one is read by its source.
const keywordWord = (token: { PATTERN?: unknown }) =>
  typeof token.PATTERN === 'string' ? token.PATTERN : (token.PATTERN as RegExp).source;

const NAME = (Identifier.PATTERN as RegExp).source;
const NUMBER = (NumberLiteral.PATTERN as RegExp).source;
const PERCENT = (Percent.PATTERN as RegExp).source;
/**
 * Where a word names an attribute or starts a declaration: first on its line, or first after `{` or `,`.
 * Rules that start there share this prefix, so they start at the same column and the first listed wins.
 */
const ATTRIBUTE_START = '(?:^|(?<=[{,]|\\*/))\\s*';

/** The enum attributes of every declaration, source, transform and architecture table, grouped by attribute name. */
function enumAttributes(): Map<string, string[]> {
  const tables: AttributeTable[] = [
    ...Object.values(declarationTables),
    // A builtin's enum (`tint { palette random }`, `resample { keep far }`) is scoped like a declaration's.
    ...Object.values(builtinFamilies).flatMap((family) => Object.values(family).map((def) => def.attributes)),
  ];
  const result = new Map<string, string[]>();
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (spec.type.type !== 'enum') continue;
      result.set(name, [...new Set([...(result.get(name) ?? []), ...spec.type.values])]);
    }
  }
  return new Map([...result].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every builtin family the grammar scopes, with the names it knows (read by the drift test too). */
export function builtinNames() {
  const enums = enumAttributes();
  return {
    declarationKeywords: Object.values(declarationKeywords).filter((word) => word !== 'expect'),
    keywords: keywords.map(keywordWord),
    sources: Object.keys(builtinFamilies['data source']),
    architectures: Object.keys(builtinFamilies.architecture),
    transforms: Object.keys(builtinFamilies.transform),
    shiftKinds: [...SUPPORT_PARTS],
    enums,
    metrics: enums.get('metric') ?? [],
  };
}

export function buildGrammar(): Record<string, unknown> {
  const names = builtinNames();
  const declaration = (keyword: string): Rule => ({
    comment: `${keyword} NAME …`,
    match: `${ATTRIBUTE_START}\\b(${keyword})\\b\\s*(${NAME})?`,
    captures: {
      1: { name: `storage.type.${keyword}.study` },
      2: { name: `entity.name.type.${keyword}.study` },
    },
  });
  const enumRules: Rule[] = [...names.enums].map(([attribute, values]) => ({
    comment: `${attribute} takes one of its values`,
    match: `${ATTRIBUTE_START}\\b(${attribute})\\b\\s+(${words(values)})`,
    captures: {
      1: { name: 'entity.other.attribute-name.study' },
      2: { name: `constant.language.${attribute.replace(/_/g, '-')}.study` },
    },
  }));

  const repository: Record<string, Rule> = {
    comments: {
      patterns: [
        {
          name: 'comment.block.study',
          begin: '/\\*',
          end: '\\*/',
          beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.study' } },
          endCaptures: { 0: { name: 'punctuation.definition.comment.end.study' } },
        },
        {
          name: 'comment.line.double-slash.study',
          match: '(//).*$',
          captures: { 1: { name: 'punctuation.definition.comment.study' } },
        },
      ],
    },
    string: {
      name: 'string.quoted.double.study',
      begin: '"',
      // An unterminated string stops at the end of its line, as in the lexer.
      end: '"|$',
      beginCaptures: { 0: { name: 'punctuation.definition.string.begin.study' } },
      endCaptures: { 0: { name: 'punctuation.definition.string.end.study' } },
      patterns: [{ name: 'constant.character.escape.study', match: '\\\\.' }],
    },
    numbers: {
      patterns: [
        {
          comment: 'a range: 4..12, 10..200 step 10',
          match: `(${NUMBER})\\s*(\\.\\.)\\s*(-?)\\s*(${NUMBER})(?:\\s+(${STEP})\\s+(${NUMBER}))?`,
          captures: {
            1: { name: 'constant.numeric.study' },
            2: { name: 'keyword.operator.range.study' },
            3: { name: 'keyword.operator.arithmetic.study' },
            4: { name: 'constant.numeric.study' },
            5: { name: 'keyword.other.step.study' },
            6: { name: 'constant.numeric.study' },
          },
        },
        { name: 'constant.numeric.percentage.study', match: `\\b${PERCENT}` },
        { name: 'constant.numeric.study', match: `\\b${NUMBER}\\b` },
      ],
    },
    operators: {
      patterns: [
        { name: 'keyword.operator.arrow.study', match: '->' },
        { name: 'keyword.operator.range.study', match: '\\.\\.' },
        { name: 'keyword.operator.comparison.study', match: '>=|<=|==|>|<' },
        { name: 'keyword.operator.assignment.study', match: '=' },
        { name: 'keyword.operator.arithmetic.study', match: '[+-]' },
        { name: 'keyword.operator.wildcard.study', match: '\\*' },
        { name: 'punctuation.accessor.study', match: '\\.' },
        { name: 'punctuation.separator.comma.study', match: ',' },
        { name: 'punctuation.separator.colon.study', match: ':' },
      ],
    },
    'shift-kind': {
      comment: 'shift NAME: in_support = A -> B',
      match: `(:)\\s*(${words(names.shiftKinds)})`,
      captures: {
        1: { name: 'punctuation.separator.colon.study' },
        2: { name: 'constant.language.shift-kind.study' },
      },
    },
    'builtin-value': {
      comment: 'a data source or an architecture: data NAME = mnist { .. }, model NAME = convnet { .. }',
      match: `(=)\\s*(?:(${words(names.sources)})|(${words(names.architectures)}))`,
      captures: {
        1: { name: 'keyword.operator.assignment.study' },
        2: { name: 'support.class.source.study' },
        3: { name: 'support.class.architecture.study' },
      },
    },
    pipe: {
      comment: 'a chain stage: | tint { .. }; the stage may start on the next line',
      begin: '\\|',
      beginCaptures: { 0: { name: 'keyword.operator.pipe.study' } },
      end: '(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?=[^\\sA-Za-z0-9_/])',
      patterns: [
        { include: '#comments' },
        { name: 'support.function.transform.study', match: words(names.transforms) },
        { name: 'variable.other.study', match: NAME },
      ],
    },
    call: {
      comment: 'a function: support(shift), abs(x), max(a, b)',
      match: `(${NAME})\\s*(?=\\()`,
      captures: { 1: { name: 'support.function.builtin.study' } },
    },
    'value-words': {
      patterns: [
        {
          match: `\\b(select)\\s+(${words(names.metrics)})`,
          captures: { 1: { name: 'keyword.other.select.study' }, 2: { name: 'constant.language.metric.study' } },
        },
        { name: 'keyword.other.study', match: words(VALUE_WORDS) },
        { name: 'constant.language.layer.study', match: words(LAYERS) },
      ],
    },
    member: {
      comment: 'a segment after a dot: robustness.pretrained.flip, parts.in_support',
      match: `(?<=\\.)\\s*(${NAME})`,
      captures: { 1: { name: 'variable.other.member.study' } },
    },
    name: { name: 'variable.other.study', match: NAME },
    brackets: {
      comment: 'a list, or a family index: NAME[p in [0.5, 0.9]], ft[*]',
      begin: '\\[',
      end: '\\]',
      beginCaptures: { 0: { name: 'punctuation.section.brackets.begin.study' } },
      endCaptures: { 0: { name: 'punctuation.section.brackets.end.study' } },
      patterns: [{ name: 'keyword.operator.in.study', match: '\\bin\\b' }, { include: '#value' }],
    },
    parens: {
      begin: '\\(',
      end: '\\)',
      beginCaptures: { 0: { name: 'punctuation.section.parens.begin.study' } },
      endCaptures: { 0: { name: 'punctuation.section.parens.end.study' } },
      patterns: [{ include: '#value' }],
    },
    block: {
      comment: 'a declaration body or a builtin call: one attribute per line or after a comma',
      begin: '\\{',
      end: '\\}',
      beginCaptures: { 0: { name: 'punctuation.section.block.begin.study' } },
      endCaptures: { 0: { name: 'punctuation.section.block.end.study' } },
      patterns: [{ include: '#comments' }, ...enumRules, { include: '#attribute' }, { include: '#value' }],
    },
    attribute: {
      match: `${ATTRIBUTE_START}(${NAME})`,
      captures: { 1: { name: 'entity.other.attribute-name.study' } },
    },
    value: {
      comment: 'what may stand after an attribute name, in an expression or in a list',
      patterns: [
        { include: '#comments' },
        { include: '#string' },
        { include: '#numbers' },
        { include: '#block' },
        { include: '#brackets' },
        { include: '#parens' },
        { include: '#pipe' },
        { include: '#shift-kind' },
        { include: '#builtin-value' },
        { include: '#operators' },
        { include: '#value-words' },
        { include: '#call' },
        { include: '#member' },
        { include: '#name' },
      ],
    },
    declarations: {
      patterns: [
        ...names.declarationKeywords.map(declaration),
        { match: `${ATTRIBUTE_START}\\b(expect)\\b`, captures: { 1: { name: 'keyword.control.expect.study' } } },
      ],
    },
    'study-body': {
      begin: '\\{',
      end: '\\}',
      beginCaptures: { 0: { name: 'punctuation.section.block.begin.study' } },
      endCaptures: { 0: { name: 'punctuation.section.block.end.study' } },
      patterns: [
        { include: '#comments' },
        { include: '#declarations' },
        { include: '#attribute' },
        { include: '#value' },
      ],
    },
    study: {
      begin: `\\b(${keywordWord(Study)})\\b\\s*(${NAME})?`,
      beginCaptures: { 1: { name: 'storage.type.study.study' }, 2: { name: 'entity.name.type.study.study' } },
      end: '(?<=\\})',
      patterns: [{ include: '#comments' }, { include: '#study-body' }],
    },
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Study',
    scopeName: 'source.study',
    fileTypes: ['study'],
    comment: `Generated by ${REGENERATE} from the language's tables; do not edit by hand.`,
    // Outside a study's braces (a fragment of a file), declarations still highlight.
    patterns: [{ include: '#comments' }, { include: '#study' }, { include: '#declarations' }, { include: '#value' }],
    repository,
  };
}

export function grammarText(): string {
  return `${JSON.stringify(buildGrammar(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(GRAMMAR_FILE, grammarText());
  process.stdout.write(`wrote ${GRAMMAR_FILE}\n`);
}
