// Every place the study applies a schema: declaration bodies, builtin calls (`mnist { .. }`,
// `tint { .. }`, `convnet { .. }`), recipe overrides, inline chains. Built once per check; rules walk it
// instead of re-walking the tree, so each rule is only about what it reports.

import type {
  Attribute,
  CallValue,
  Expression,
  FunctionCall,
  Identifier,
  Reference,
  Span,
  Value,
} from '../../grammar/ast.ts';
import { visit } from '../../grammar/visitor.ts';
import { expectFunction, type ExpectArgumentKind, type ExpectFunction } from '../../runtime/expect/functions.ts';
import { SUPPORT_PARTS } from '../../runtime/jobs/specs.ts';
import type { BoundStudy } from './binder.ts';
import { declarationKeywords } from '../../grammar/ast.ts';
import {
  builtinFamilies,
  declarationTables,
  objectives,
  type AttributeSpec,
  type AttributeTable,
  type ValueSchema,
} from './builtins.ts';
import {
  readAttribute,
  readValues,
  type ChainReading,
  type NameUse,
  type ObjectiveReading,
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

/** An argument of an `expect` function that is not of the kind its parameter takes (S2017). */
export interface ArgumentProblem {
  call: FunctionCall;
  /** The parameter's name. */
  name: string;
  kind: Exclude<ExpectArgumentKind, 'number'>;
  span: Span;
}

/** What a metric call's model may name. */
export const TRAINED_MODEL_KINDS = ['arm', 'baseline', 'pretrain'] as const;

export interface StudyIndex {
  applications: Application[];
  functions: FunctionUse[];
  /** The references of `expect` claims that stand for numbers: comparison results (not a metric's arguments). */
  resultReferences: Set<Reference>;
  argumentProblems: ArgumentProblem[];
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
    resultReferences: new Set(),
    argumentProblems: [],
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
      // An attribute's own block is checked against its options (none: every attribute in it is unknown).
      if (attribute.block)
        apply(
          { kind: 'the options of', name: attribute.name.name },
          attribute.block.span,
          attribute.block.attributes,
          spec.options ?? {},
        );
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
    if (site.spec?.type.type === 'objective' && value)
      builtin('objective', (value as ObjectiveReading).value, objectives);
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
  for (const expect of bound.expects) expectOperands(expect.expression, index, record);
  return index;
}

/** What an argument of each kind must be, for S2017. */
export const ARGUMENT_KIND_WORDS: Record<Exclude<ExpectArgumentKind, 'number'>, string> = {
  model: 'the name of a trained model (an arm, a baseline or a pretrain)',
  split: 'a distribution split like `reference.test` or a support split part like `parts.in_support`',
};

/**
 * The operands of an `expect` expression: references in number positions are comparison results; a metric's
 * model and split arguments are names (checked like any other name use), and its `by [..]` an attribute list.
 */
function expectOperands(expression: Expression, index: StudyIndex, record: (site: ValueSite) => void): void {
  visit(expression, {
    enter: (node) => {
      if (node.kind === 'Reference') index.resultReferences.add(node);
      if (node.kind !== 'FunctionCall') return node.kind !== 'List';
      const definition = expectFunction(node.callee.name);
      index.functions.push({ call: node, definition });
      // An unknown function's arguments are of no known kind: S1006 is the one report.
      if (!definition) return false;
      const owner: Owner = { kind: 'function', name: definition.name };
      node.args.forEach((arg, position) => {
        // An argument past the last parameter is S2005's; it is read as a number, like a call's own arguments.
        const param = definition.params[position] ?? (definition.repeats ? definition.params.at(-1) : undefined);
        const kind = param?.kind ?? 'number';
        if (kind === 'number' || !param) return expectOperands(arg, index, record);
        const name = param.name;
        const shaped = arg.kind === 'Reference' && arg.path.length === (kind === 'model' ? 1 : 2);
        if (!shaped) {
          index.argumentProblems.push({ call: node, name, kind, span: arg.span });
          return;
        }
        if (kind === 'model') {
          index.names.push({ reference: arg, kinds: TRAINED_MODEL_KINDS });
          return;
        }
        const spec: AttributeSpec = { type: { type: 'splitRef', parts: true }, doc: ARGUMENT_KIND_WORDS.split };
        record({ owner, name, span: arg.span, spec, reading: readValues([arg], spec.type, arg.span) });
      });
      if (node.by) {
        const spec: AttributeSpec = { type: { type: 'nameList' }, doc: 'the group attributes of a worst-group metric' };
        record({
          owner,
          name: 'by',
          span: node.by.span,
          spec,
          reading: readValues([node.by], spec.type, node.by.span),
        });
      }
      return false;
    },
  });
}
