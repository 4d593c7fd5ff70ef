// Every place the study applies a schema: declaration bodies, builtin calls (`mnist { .. }`,
// `tint { .. }`, `convnet { .. }`), recipe overrides, inline chains. Built once per check; rules walk it
// instead of re-walking the tree, so each rule is only about what it reports.

import type { Attribute, CallValue, FunctionCall, Identifier, Reference, Span, Value } from '../../grammar/ast.ts';
import { visit } from '../../grammar/visitor.ts';
import { expectFunction, type ExpectFunction } from '../../runtime/expect/functions.ts';
import { SUPPORT_PARTS } from '../../runtime/jobs/specs.ts';
import type { BoundStudy } from './binder.ts';
import { declarationKeywords } from '../../grammar/ast.ts';
import {
  builtinFamilies,
  declarationTables,
  type AttributeSpec,
  type AttributeTable,
  type ValueSchema,
} from './builtins.ts';
import {
  readAttribute,
  readValues,
  type ChainReading,
  type NameUse,
  type Reading,
  type RecipeReading,
} from './values.ts';

export interface PositionalSpec {
  name: string;
  type: ValueSchema;
  required: boolean;
}

/** What a block or value belongs to: `{ kind: 'transform', name: 'tint' }`, `{ kind: 'the study' }`. */
export interface Owner {
  kind: string;
  name?: string;
}

/** For messages: "recipe 'fit'", "transform 'tint'", "the study". */
export function describeOwner(owner: Owner): string {
  return owner.name === undefined ? owner.kind : `${owner.kind} '${owner.name}'`;
}

/** One block (or bare builtin) checked against an attribute table. */
export interface Application {
  owner: Owner;
  /** Where a missing attribute is reported. */
  anchor: Span;
  attributes: Attribute[];
  table: AttributeTable;
  positional: PositionalSpec[];
  args: Value[];
}

/** One value read against its schema: an attribute, a positional argument or a declaration's value. */
export interface ValueSite {
  owner: Owner;
  name: string;
  span: Span;
  spec: AttributeSpec | null;
  reading: Reading;
}

export interface BuiltinUse {
  family: string;
  name: Identifier;
  known: readonly string[];
}

/** A function called in an `expect` claim, with its entry in the runtime's function table (if it has one). */
export interface FunctionUse {
  call: FunctionCall;
  definition: ExpectFunction | undefined;
}

export interface StudyIndex {
  applications: Application[];
  functions: FunctionUse[];
  values: ValueSite[];
  names: NameUse[];
  builtins: BuiltinUse[];
  /** The reading of each attribute node, for the typed-study builder. */
  readings: Map<Attribute, Reading>;
}

export function indexStudy(bound: BoundStudy): StudyIndex {
  const index: StudyIndex = {
    applications: [],
    functions: [],
    values: [],
    names: [],
    builtins: [],
    readings: new Map(),
  };

  function apply(
    owner: Owner,
    anchor: Span,
    attributes: Attribute[],
    table: AttributeTable,
    positional: PositionalSpec[] = [],
    args: Value[] = [],
  ) {
    index.applications.push({ owner, anchor, attributes, table, positional, args });
    for (const attribute of attributes) {
      const spec = table[attribute.name.name];
      if (!spec) continue;
      const reading = readAttribute(attribute, spec.type);
      index.readings.set(attribute, reading);
      record({ owner, name: attribute.name.name, span: attribute.span, spec, reading });
    }
    positional.forEach((position, i) => {
      const arg = args[i];
      if (!arg) return;
      record({
        owner,
        name: position.name,
        span: arg.span,
        spec: { type: position.type, doc: position.name },
        reading: readValues([arg], position.type, arg.span),
      });
    });
  }

  function record(site: ValueSite) {
    index.values.push(site);
    index.names.push(...site.reading.names);
    const value = site.reading.value;
    if (site.spec?.type.type === 'distribution' && value) chainStages(value as ChainReading);
    if (site.spec?.type.type === 'recipe' && value) {
      const recipe = value as RecipeReading;
      if (recipe.call)
        apply(
          { kind: 'the overrides of recipe', name: recipe.name },
          recipe.call.callee.span,
          recipe.overrides,
          declarationTables.recipe,
        );
    }
  }

  /** A builtin applied by name, `vflip`, or called, `tint { .. }` / `limit 500`. */
  function builtin(
    family: string,
    value: Reference | CallValue,
    table: Record<string, { attributes: AttributeTable; positional?: PositionalSpec | PositionalSpec[] }>,
  ) {
    const callee = value.kind === 'Call' ? value.callee : value;
    const name = callee.path[0]!;
    index.builtins.push({ family, name, known: Object.keys(table) });
    const entry = callee.path.length === 1 ? table[name.name] : undefined;
    if (!entry) return;
    const positional =
      entry.positional === undefined ? [] : Array.isArray(entry.positional) ? entry.positional : [entry.positional];
    const attributes = value.kind === 'Call' ? (value.block?.attributes ?? []) : [];
    const args = value.kind === 'Call' ? value.args : [];
    apply({ kind: family, name: name.name }, callee.span, attributes, entry.attributes, positional, args);
  }

  function chainStages(chain: ChainReading) {
    for (const stage of chain.stages) builtin('transform', stage, builtinFamilies.transform);
  }

  const sourceTable = Object.fromEntries(
    Object.entries(builtinFamilies['data source']).map(([name, source]) => [
      name,
      { attributes: source.attributes, positional: source.positional.map((p) => ({ ...p, required: true })) },
    ]),
  );

  apply({ kind: 'the study' }, bound.study.name.span, bound.studyAttributes, declarationTables.study);

  for (const { declaration, name } of bound.declarations) {
    switch (declaration.kind) {
      case 'Data':
        builtin('data source', declaration.value, sourceTable);
        break;
      case 'Model':
        builtin('architecture', declaration.value, builtinFamilies.architecture);
        break;
      case 'Distribution': {
        const spec: AttributeSpec = { type: { type: 'distribution' }, doc: 'distribution' };
        record({
          owner: { kind: 'distribution', name },
          name,
          span: declaration.value.span,
          spec,
          reading: readValues([declaration.value], spec.type, declaration.value.span),
        });
        break;
      }
      case 'Shift':
        index.builtins.push({
          family: 'shift kind',
          name: declaration.shiftKind,
          known: SUPPORT_PARTS,
        });
        for (const side of [declaration.from, declaration.to]) {
          const spec: AttributeSpec = { type: { type: 'ref', kinds: ['distribution', 'data'] }, doc: 'shift side' };
          record({
            owner: { kind: 'shift', name },
            name,
            span: side.span,
            spec,
            reading: readValues([side], spec.type, side.span),
          });
        }
        break;
      case 'Split': {
        const call = declaration.value;
        index.builtins.push({ family: 'split function', name: call.callee.path[0]!, known: ['support'] });
        const positional: PositionalSpec[] = [
          { name: 'shift', type: { type: 'ref', kinds: ['shift'] }, required: true },
        ];
        apply(
          { kind: 'split', name },
          call.callee.span,
          call.block?.attributes ?? [],
          declarationTables.split,
          positional,
          call.args,
        );
        break;
      }
      default:
        apply(
          { kind: declaration.kind.toLowerCase(), name },
          declaration.name.span,
          declaration.body.attributes,
          declarationTables[declarationKeywords[declaration.kind]],
        );
    }
  }
  for (const expect of bound.expects) {
    visit(expect.expression, {
      enter: (node) => {
        if (node.kind === 'FunctionCall')
          index.functions.push({ call: node, definition: expectFunction(node.callee.name) });
      },
    });
  }
  return index;
}
