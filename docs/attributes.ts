// Renders the `## Attributes and defaults` section of docs/language.md from the one schema: the builtins'
// own definitions (runtime/data/sources, runtime/data/transforms, runtime/models/architectures, reached
// through compiler/check/builtins.ts) and the checker's declaration tables, so the reference cannot
// disagree with what the checker accepts or the runtime applies.
import {
  builtinFamilies,
  declarationTables as tables,
  describeRange,
  objectives,
  describeSchema,
  type AttributeSpec,
  type AttributeTable,
  type ValueSchema,
} from '../compiler/check/builtins.ts';
import type { ParamValue } from '../compiler/check/typed.ts';
import { cell } from './markdown.ts';

export const ATTRIBUTES_HEADING = '## Attributes and defaults';

/** Each declaration kind with a block of attributes, as it is written. */
export const declarationTables: { syntax: string; table: AttributeTable; note?: string }[] = [
  { syntax: 'study NAME { … }', table: tables.study, note: 'study-level attributes' },
  { syntax: 'recipe NAME { … }', table: tables.recipe },
  { syntax: 'pretrain NAME { … }', table: tables.pretrain },
  { syntax: 'baseline NAME { … }', table: tables.baseline },
  { syntax: 'arm NAME { … }', table: tables.arm },
  { syntax: 'compare NAME { … }', table: tables.compare },
  { syntax: 'split NAME = support(SHIFT) { … }', table: tables.split },
];

const { 'data source': sources, transform: transforms, architecture: architectures } = builtinFamilies;

const code = (text: string) => `\`${text}\``;

function typeText(schema: ValueSchema): string {
  if (schema.type === 'enum') return `one of ${schema.values.map(code).join(', ')}`;
  return describeSchema(schema);
}

function rangeText(schema: ValueSchema): string {
  if (schema.type === 'number' && (schema.min !== undefined || schema.max !== undefined)) return describeRange(schema);
  if (schema.type === 'numberList' && schema.min !== undefined) return `each >= ${schema.min}`;
  if (schema.type === 'choices') return rangeText(schema.of);
  return '';
}

function valueText(value: ParamValue): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  return typeof value === 'string' ? value : String(value);
}

function defaultText(spec: AttributeSpec): string {
  if (spec.required) return '**required**';
  return spec.default === undefined ? '—' : code(valueText(spec.default));
}

function attributeTable(table: AttributeTable): string {
  const rows = Object.entries(table).map(([name, spec]) =>
    [code(name), typeText(spec.type), rangeText(spec.type), defaultText(spec), spec.doc].map(cell).join(' | '),
  );
  return [
    '| attribute | type | range | default | meaning |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** A builtin's attribute table, or a sentence when it takes none. */
function attributesOrNone(table: AttributeTable): string {
  return Object.keys(table).length ? attributeTable(table) : 'No attributes.';
}

type Positional = { name: string; type: ValueSchema; required?: boolean; doc?: string };

function argumentsText(positional: readonly Positional[]): string {
  const items = positional.map((p) => {
    const range = rangeText(p.type);
    return `${code(p.name.toUpperCase())}: ${typeText(p.type)}${range ? ` (${range})` : ''}${p.required === false ? ', optional' : ''}${p.doc ? `, ${p.doc}` : ''}`;
  });
  return `Arguments: ${items.join('; ')}.`;
}

function builtinSection(
  name: string,
  doc: string,
  positional: readonly Positional[],
  facts: string[],
  table: AttributeTable,
): string {
  const usage = [name, ...positional.map((p) => p.name.toUpperCase())].join(' ');
  const lines = [positional.length ? argumentsText(positional) : '', ...facts].filter(Boolean);
  return [
    `#### ${code(usage)} — ${doc}`,
    '',
    ...(lines.length ? [lines.join(' '), ''] : []),
    attributesOrNone(table),
  ].join('\n');
}

function recordsText(records: readonly string[]): string {
  return records.length ? records.map(code).join(', ') : '—';
}

const inputText = { image: 'images', vector: 'vectors', any: 'any' } as const;

/** The section's body (everything under its heading). */
export function renderAttributesSection(): string {
  const parts: string[] = [
    '',
    "<!-- Generated from the builtins' definitions and compiler/check/builtins.ts by `node --import tsx docs/generate.ts`: edit those, not this section. -->",
    '',
    'What each declaration, data source, transform and architecture accepts, as the checker reads it. An attribute',
    'without a default and not **required** is simply unset. Ranges: `[a, b]` includes its ends, `(a, b)` excludes them.',
    '',
    '### Declarations',
  ];
  for (const { syntax, table, note } of declarationTables) {
    parts.push('', `#### ${code(syntax)}${note ? ` (${note})` : ''}`, '', attributeTable(table));
  }
  // Attributes with a block of their own (`reweight … { C 0.01 }`): what the block accepts.
  for (const { syntax, table } of declarationTables) {
    for (const [name, spec] of Object.entries(table)) {
      if (!spec.options) continue;
      const owner = syntax.split(' ')[0];
      parts.push(
        '',
        `#### ${code(`${name} … { … }`)} (the options of ${owner === 'arm' ? 'an' : 'a'} ${owner}'s ${code(name)})`,
        '',
        attributeTable(spec.options),
      );
    }
  }

  parts.push('', '### Data sources (`data NAME = SOURCE`)');
  for (const [name, source] of Object.entries(sources)) {
    parts.push('', builtinSection(name, source.doc, source.positional, [], source.attributes));
  }

  parts.push(
    '',
    '### Transforms (the stages of a `distribution` after the first)',
    '',
    'A transform records per-example attributes that `groups` and `balanced_by` can name (besides `label`).',
    '',
    '| transform | input | records | what it does |',
    '|---|---|---|---|',
    ...Object.entries(transforms).map(
      ([name, t]) => `| ${[code(name), inputText[t.input], recordsText(t.records), t.doc].map(cell).join(' | ')} |`,
    ),
  );
  for (const [name, transform] of Object.entries(transforms)) {
    parts.push(
      '',
      builtinSection(name, transform.doc, transform.positional ? [transform.positional] : [], [], transform.attributes),
    );
  }

  parts.push(
    '',
    '### Objectives (`objective NAME { … }` in an arm)',
    '',
    "What an arm minimises instead of the mean cross-entropy (ERM). Each is applied to the arm's training data after",
    '`balanced_by` and `limit`; `groups` name the attributes whose combinations are the groups.',
  );
  for (const [name, objective] of Object.entries(objectives)) {
    parts.push('', builtinSection(name, objective.doc, [], [`From ${objective.reference}.`], objective.attributes));
  }

  parts.push('', '### Architectures (`model NAME = ARCH { … }`)');
  for (const [name, architecture] of Object.entries(architectures)) {
    const facts = [`Input: ${inputText[architecture.input]}.`];
    parts.push(
      '',
      builtinSection(
        name,
        architecture.doc,
        architecture.positional ? [architecture.positional] : [],
        facts,
        architecture.attributes,
      ),
    );
  }
  parts.push('');
  return parts.join('\n');
}
