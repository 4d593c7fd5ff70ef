// The parser's output: exact AST shapes for a few constructs, spans, comments, recovery from bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  astEqual,
  parse,
  stripSpans,
  type Attribute,
  type ParseResult,
  type Span,
  type StudyItem,
} from '../../grammar/index.ts';

/** The items of `study s { BODY }`, spans removed; fails on any problem. */
function items(body: string): unknown[] {
  const { document, problems } = parse(`study s {\n${body}\n}\n`, 'test.study');
  assert.equal(
    problems.map((problem) => problem.message),
    [],
  );
  return stripSpans(document.study!.items);
}

const id = (name: string) => ({ kind: 'Identifier', name });
const ref = (...path: string[]) => ({ kind: 'Reference', path: path.map(id) });
const num = (value: number, raw = String(value)) => ({ kind: 'Number', value, raw });
const attr = (name: string, ...values: unknown[]) => ({ kind: 'Attribute', name: id(name), values });
const block = (...attributes: unknown[]) => ({ kind: 'Block', attributes });
const call = (callee: string, block_?: unknown, args: unknown[] = [], parenthesized = false) => ({
  kind: 'Call',
  callee: ref(callee),
  args,
  parenthesized,
  ...(block_ ? { block: block_ } : {}),
});

/** Text of the source a span covers. */
const text = (source: string, span: Span) => source.slice(span.start, span.end);

function assertSpansInside(result: ParseResult, source: string): void {
  for (const problem of result.problems) {
    const { start, end, line, column, endLine, endColumn } = problem.span;
    assert.ok(0 <= start && start <= end && end <= source.length, `${problem.message}: ${start}..${end}`);
    for (const n of [line, column, endLine, endColumn]) assert.ok(Number.isInteger(n) && n >= 1);
  }
}

test('data, distribution chain, shift and model declarations', () => {
  assert.equal(
    items(`data digits = mnist { train 12000, test 2000 }
distribution reference = digits | tint { strength 0.25 } | vflip
shift flip: out_of_support = reference -> flipped
model m = load "model.json"
data mine = idx "x.idx" "y.idx"
data table = csv "t.csv" { label "y" }`),
    [
      {
        kind: 'Data',
        name: id('digits'),
        value: call('mnist', block(attr('train', num(12000)), attr('test', num(2000)))),
      },
      {
        kind: 'Distribution',
        name: id('reference'),
        value: {
          kind: 'Chain',
          stages: [ref('digits'), call('tint', block(attr('strength', num(0.25)))), ref('vflip')],
        },
      },
      { kind: 'Shift', name: id('flip'), shiftKind: id('out_of_support'), from: ref('reference'), to: ref('flipped') },
      {
        kind: 'Model',
        name: id('m'),
        value: call('load', undefined, [{ kind: 'String', value: 'model.json', raw: '"model.json"' }]),
      },
      {
        kind: 'Data',
        name: id('mine'),
        value: call('idx', undefined, [
          { kind: 'String', value: 'x.idx', raw: '"x.idx"' },
          { kind: 'String', value: 'y.idx', raw: '"y.idx"' },
        ]),
      },
      {
        kind: 'Data',
        name: id('table'),
        value: call('csv', block(attr('label', { kind: 'String', value: 'y', raw: '"y"' })), [
          { kind: 'String', value: 't.csv', raw: '"t.csv"' },
        ]),
      },
    ],
  );
});

test('attribute values: numbers, percentages, ranges with step, lists, dotted refs, calls with overrides', () => {
  assert.equal(
    items(`arm a {
  lr 3e-4, momentum -1
  interval 95%
  checkpoints 10..200 step 10
  sweep lr [1e-3, 3e-4] select accuracy on reference.val
  recipe fit { epochs 3 }
  model cnn
  data clothes | augment { vflip 0.5 }
}`),
    [
      {
        kind: 'Arm',
        name: id('a'),
        body: block(
          attr('lr', num(3e-4, '3e-4')),
          attr('momentum', num(-1, '-1')),
          attr('interval', { kind: 'Percent', value: 95, raw: '95%' }),
          attr('checkpoints', { kind: 'Range', from: num(10), to: num(200), step: num(10) }),
          attr(
            'sweep',
            ref('lr'),
            { kind: 'List', items: [num(1e-3, '1e-3'), num(3e-4, '3e-4')] },
            ref('select'),
            ref('accuracy'),
            ref('on'),
            ref('reference', 'val'),
          ),
          attr('recipe', call('fit', block(attr('epochs', num(3))))),
          attr('model', ref('cnn')),
          attr('data', { kind: 'Chain', stages: [ref('clothes'), call('augment', block(attr('vflip', num(0.5))))] }),
        ),
      },
    ],
  );
});

test('split = support(shift) { .. } is a parenthesized call with a block', () => {
  assert.equal(items('split parts = support(half_flipped) { folds 5 }'), [
    {
      kind: 'Split',
      name: id('parts'),
      value: call('support', block(attr('folds', num(5))), [ref('half_flipped')], true),
    },
  ]);
});

test("a block after an attribute's values is the attribute's own; after a dotted name too, after a plain name the call's", () => {
  const [arm] = items(
    'arm a { reweight last_layer on t.val balanced_by [label] { C 0.01 }, reweight last_layer on t.val { subsets 3 }, recipe fit { epochs 3 } }',
  ) as { body: { attributes: unknown[] } }[];
  const layer = [ref('last_layer'), ref('on'), ref('t', 'val')];
  assert.equal(arm!.body.attributes, [
    {
      ...attr('reweight', ...layer, ref('balanced_by'), { kind: 'List', items: [ref('label')] }),
      block: block(attr('C', num(0.01))),
    },
    { ...attr('reweight', ...layer), block: block(attr('subsets', num(3))) },
    attr('recipe', call('fit', block(attr('epochs', num(3))))),
  ]);
});

test('expect: precedence of comparison over + and -, unary minus, calls, parentheses dropped', () => {
  assert.equal(items('expect a.b >= max(c, -d) - (0.01 + e)'), [
    {
      kind: 'Expect',
      expression: {
        kind: 'Binary',
        operator: '>=',
        left: ref('a', 'b'),
        right: {
          kind: 'Binary',
          operator: '-',
          left: {
            kind: 'FunctionCall',
            callee: id('max'),
            args: [ref('c'), { kind: 'Unary', operator: '-', operand: ref('d') }],
          },
          right: { kind: 'Binary', operator: '+', left: num(0.01), right: ref('e') },
        },
      },
    },
  ]);
});

test('strings unescape \\" \\\\ \\n \\t and \\u{..}; raw keeps the spelling', () => {
  const [title] = items(String.raw`title "a\"b\\c\nd\te\u{1F600}"`) as Attribute[];
  assert.is(title!.values[0]!.kind, 'String');
  assert.is((title!.values[0] as { value: string }).value, 'a"b\\c\nd\te😀');
  assert.is((title!.values[0] as { raw: string }).raw, String.raw`"a\"b\\c\nd\te\u{1F600}"`);
});

test('lists may span lines with a trailing comma; chains may continue on the next line', () => {
  assert.equal(
    items(`compare c {
  arms [
    a,
    b,
  ]
}
distribution d = x
  | tint { strength 0.1 }
  | vflip`),
    [
      { kind: 'Compare', name: id('c'), body: block(attr('arms', { kind: 'List', items: [ref('a'), ref('b')] })) },
      {
        kind: 'Distribution',
        name: id('d'),
        value: { kind: 'Chain', stages: [ref('x'), call('tint', block(attr('strength', num(0.1)))), ref('vflip')] },
      },
    ],
  );
});

test('newlines separate attributes; a line holds one attribute with all its values', () => {
  assert.equal(items('recipe r {\n  optimizer adam\n  lr 0.1 epochs 2\n}'), [
    {
      kind: 'Recipe',
      name: id('r'),
      body: block(attr('optimizer', ref('adam')), attr('lr', num(0.1), ref('epochs'), num(2))),
    },
  ]);
});

test('`step` is only a keyword after a range', () => {
  assert.equal(items('recipe r { schedule step }'), [
    { kind: 'Recipe', name: id('r'), body: block(attr('schedule', ref('step'))) },
  ]);
});

test('spans: line/column of known nodes, end exclusive', () => {
  const source = 'study s {\n  seed 0\n  model cnn = convnet { channels [16, 32] }\n}\n';
  const { document } = parse(source, 'spans.study');
  const study = document.study!;
  assert.equal(document.span, {
    file: 'spans.study',
    start: 0,
    end: source.length,
    line: 1,
    column: 1,
    endLine: 5,
    endColumn: 1,
  });
  assert.equal(study.span, {
    file: 'spans.study',
    start: 0,
    end: source.length - 1,
    line: 1,
    column: 1,
    endLine: 4,
    endColumn: 2,
  });
  const model = study.items[1]!;
  assert.is(model.kind, 'Model');
  assert.is(text(source, model.span), 'model cnn = convnet { channels [16, 32] }');
  assert.equal([model.span.line, model.span.column, model.span.endLine, model.span.endColumn], [3, 3, 3, 44]);
  if (model.kind !== 'Model') throw new Error('unreachable');
  assert.is(text(source, model.name.span), 'cnn');
  assert.equal([model.name.span.line, model.name.span.column], [3, 9]);
  const list = (model.value as { block: { attributes: Attribute[] } }).block.attributes[0]!.values[0]!;
  assert.is(text(source, list.span), '[16, 32]');
  assert.equal([list.span.line, list.span.column], [3, 34]);
});

test('CRLF and CR line endings give the same tree and the same line numbers', () => {
  const source = 'study s {\n  seed 0 // zero\n  recipe r {\n    lr 1\n  }\n  expect\n    a > 1\n}\n';
  const lf = parse(source, 'lf.study');
  for (const ending of ['\r\n', '\r']) {
    const other = parse(source.replaceAll('\n', ending), 'other.study');
    assert.equal(other.problems, []);
    assert.ok(astEqual(lf.document.study, other.document.study), JSON.stringify(ending));
    const lines = (result: ParseResult) =>
      result.document.study!.items.map((item) => [item.span.line, item.span.endLine]);
    assert.equal(lines(other), lines(lf));
  }
});

test('comments are collected with their text and kind, and do not disturb the tree', () => {
  const source = '// head\nstudy s { /* a\nb */ seed 0 // tail\n}';
  const { document, problems } = parse(source, 'c.study');
  assert.equal(problems, []);
  assert.equal(
    document.comments.map((comment) => [comment.text, comment.block, comment.span.line, comment.span.endLine]),
    [
      ['// head', false, 1, 1],
      ['/* a\nb */', true, 2, 3],
      ['// tail', false, 3, 3],
    ],
  );
  assert.equal(stripSpans(document.study!.items), [attr('seed', num(0))]);
});

// ------------------------------------------------------------ recovery

function recovered(source: string): { result: ParseResult; names: string[] } {
  const result = parse(source, 'bad.study');
  assertSpansInside(result, source);
  const names = (result.document.study?.items ?? []).map((item: StudyItem) =>
    'name' in item ? item.name.name : item.kind,
  );
  return { result, names };
}

test('missing `}`: reported at the next declaration, which is still parsed', () => {
  const { result, names } = recovered('study s {\n  recipe r { lr 1\n  arm a { init b }\n  expect x > 1\n}');
  assert.is(result.problems.length, 1);
  assert.match(result.problems[0]!.message, "expected '}'");
  assert.is(result.problems[0]!.span.line, 3);
  assert.equal(names, ['r', 'a', 'Expect']);
});

test('missing `}` before `model m = …`: the line is read as the declaration it must be', () => {
  const { result, names } = recovered('study s {\n  data d = mnist { train 1\n  model m = mlp {}\n}');
  assert.equal(
    result.problems.map((problem) => problem.message),
    ["expected '}' in a block, found 'model' (to close the '{' on line 2)"],
  );
  assert.equal(names, ['d', 'm']);
});

test('skipping a bad rest of line never swallows the `}` of the enclosing block', () => {
  const { result, names } = recovered('study s {\n  arm a { lr (1, 2 }\n  arm b {}\n}');
  assert.equal(
    result.problems.map((problem) => problem.message.split(';')[0]),
    ["unexpected '(' in an attribute"],
  );
  assert.equal(names, ['a', 'b']);
});

test('a second study and an extra `}` are named as such', () => {
  assert.match(recovered('study a {}\nstudy b {}').result.problems[0]!.message, 'a file holds one study');
  assert.match(recovered('study a { arm x {} }}\n').result.problems[0]!.message, "'}' too many");
});

test('missing `}` at the end of the file points just past the last token', () => {
  const source = 'study s {\n  seed 0';
  const { result } = recovered(source);
  assert.is(result.problems.length, 1);
  assert.match(result.problems[0]!.message, 'end of the file');
  assert.is(result.problems[0]!.span.start, source.length);
});

test('missing value: one problem, the later declaration survives', () => {
  const { result, names } = recovered('study s {\n  data d =\n  model m = mlp { hidden [] }\n}');
  assert.is(result.problems.length, 1);
  assert.match(result.problems[0]!.message, 'expected a name');
  assert.equal(names, ['d', 'm']);
  const data = result.document.study!.items[0]!;
  assert.is(data.kind === 'Data' && data.value.kind === 'Reference' && data.value.path[0]!.name, '');
});

test('a token invented by recovery sits zero-width just after the previous real token', () => {
  const source = 'study s {\n  data = mnist\n}';
  const { result } = recovered(source);
  const data = result.document.study!.items[0]!;
  assert.is(data.kind, 'Data');
  if (data.kind !== 'Data') return;
  assert.is(data.name.name, '');
  const afterKeyword = source.indexOf('data') + 'data'.length;
  assert.equal([data.name.span.start, data.name.span.end], [afterKeyword, afterKeyword]);
  assert.equal([data.name.span.line, data.name.span.column, data.name.span.endColumn], [2, 7, 7]);
  assert.equal(stripSpans(data.value), ref('mnist'));
});

test('stray tokens: the rest of the line is skipped and reported once', () => {
  const { result, names } = recovered('study s {\n  seed 0 )\n  recipe r { lr = 3, epochs 2 }\n  model m = mlp {}\n}');
  assert.equal(
    result.problems.map((problem) => [problem.span.line, problem.span.column, problem.message.split(';')[0]]),
    [
      [2, 10, "unexpected ')' after a declaration"],
      [3, 17, "unexpected '=' in an attribute"],
    ],
  );
  assert.equal(names, ['seed', 'r', 'm']);
  const recipe = result.document.study!.items[1]!;
  assert.equal(recipe.kind === 'Recipe' && recipe.body.attributes.map((a) => a.name.name), ['lr', 'epochs']);
});

test('lexer problems: unknown characters, unterminated strings and comments, bad escapes', () => {
  const cases: [string, RegExp][] = [
    ['study s { seed 0 § }', /unexpected character '§'/],
    ['study s { title "abc\n}', /unterminated string/],
    ['study s { } /* open', /unterminated comment/],
    ['study s { title "a\\qb" }', /unknown escape/],
    ['study s { lr 1e999 }', /too large/],
  ];
  for (const [source, message] of cases) {
    const { result } = recovered(source);
    assert.ok(
      result.problems.some((problem) => message.test(problem.message)),
      `${source}: ${result.problems.map((p) => p.message)}`,
    );
  }
});

test('an empty file or text without a study yields study null or a partial one, with a problem', () => {
  for (const source of ['', '   \n', 'hello', '}}}', 'study']) {
    const { result } = recovered(source);
    assert.ok(result.problems.length > 0, JSON.stringify(source));
  }
  assert.match(parse('', 'e.study').problems[0]!.message, "starts with 'study NAME {'");
});

test('a shift without its colon names what was expected', () => {
  const { result } = recovered('study s {\n  shift x in_support = a -> b\n}');
  assert.match(result.problems[0]!.message, "expected ':' in a 'shift' declaration");
  assert.is(text('study s {\n  shift x in_support = a -> b\n}', result.problems[0]!.span), 'in_support');
});

test('deep nesting is bounded: reported, not a crash', () => {
  const source = `study s { x ${'['.repeat(5000)} }`;
  const { result } = recovered(source);
  assert.ok(result.problems.some((problem) => /nesting deeper/.test(problem.message)));
});

test.run();
