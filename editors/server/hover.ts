// Hover: an attribute's type, range, default and doc; a name's declaration, kind and resolved value (from
// the typed study once it has no errors); a builtin's docs; on an `expect` or a comparison member, the
// last recorded value from the study's results.json.

import type { Hover } from 'vscode-languageserver/node';
import type { Attribute, Declaration, FunctionCall, Node, Span } from '../../grammar/ast.ts';
import type { Binding } from '../../compiler/check/binder.ts';
import { initName } from '../../compiler/check/lookup.ts';
import type * as T from '../../compiler/check/typed.ts';
import { builtinAt, occurrenceAt, pathAt, touches, type Analysis, type Occurrence } from './analysis.ts';
import { toRange } from './convert.ts';
import { indexUseAt, indicesText, memberAt, type Family, type IndexUse, type MemberUse } from './families.ts';
import { findResults, formatEr, runDate, signed, type Results } from './results.ts';
import { printExpression } from '../../compiler/format/expression.ts';
import {
  builtin,
  describeAttribute,
  describeFunction,
  expectFunction,
  formatValue,
  type ExpectFunction,
} from './schema.ts';

export interface HoverContext {
  /** Workspace folders, where `results/<study>/results.json` is looked for first. */
  roots: readonly string[];
}

const code = (text: string) => ['```shiftlab', text, '```'];

export function hover(analysis: Analysis, offset: number, context: HoverContext): Hover | null {
  const path = pathAt(analysis, offset);
  const expect = path.find((node) => node.kind === 'Expect');
  if (expect) {
    const call = [...path]
      .reverse()
      .find((node): node is FunctionCall => node.kind === 'FunctionCall' && touches(node.callee.span, offset));
    const definition = call && expectFunction(call.callee.name);
    if (definition) return markdown(functionHover(analysis, call!, definition, context), call!.callee.span);
    return expectHover(analysis, path, expect, context);
  }

  const index = indexUseAt(analysis.families, offset);
  if (index) return markdown(indexHover(analysis, index), index.identifier.span);
  const member = memberAt(analysis.families, offset);
  if (member) return markdown(memberHover(analysis, member, path, context), memberSpan(member));

  const occurrence = occurrenceAt(analysis, offset);
  if (occurrence) return markdown(nameHover(analysis, occurrence, path, context), occurrence.identifier.span);

  const use = builtinAt(analysis, offset);
  if (use) {
    const doc = builtin(use.family, use.name.name);
    if (doc) {
      const lines = [...code(`${doc.family} ${doc.name}`), doc.doc];
      for (const position of doc.positional) lines.push('', `argument \`${position.name}\``);
      for (const [name, spec] of Object.entries(doc.attributes)) lines.push('', ...describeAttribute(name, spec));
      return markdown(lines, use.name.span);
    }
  }

  const attribute = [...path].reverse().find((node): node is Attribute => node.kind === 'Attribute');
  if (attribute && touches(attribute.name.span, offset)) {
    const application = [...analysis.applications.values()].find((a) => a.attributes.includes(attribute));
    const spec = application?.table[attribute.name.name];
    if (application && spec)
      return markdown(
        [...describeAttribute(attribute.name.name, spec), '', `in ${application.owner}`],
        attribute.name.span,
      );
  }
  return null;
}

function markdown(lines: string[], span: Span): Hover {
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: toRange(span) };
}

// ---------------------------------------------------------------- names

function nameHover(analysis: Analysis, occurrence: Occurrence, path: Node[], context: HoverContext): string[] {
  const { binding } = occurrence;
  const family = analysis.families.byName.get(binding.name);
  if (family?.binding === binding) {
    const heading = `${binding.name}${indicesText(analysis.document.source, binding.declaration)}`;
    const lines = familyLines(analysis, family, family.members, heading);
    lines.push(
      ...groupRecipe(analysis, binding, path),
      ...comparisonLines(analysis, binding.kind, [binding.name], path, context),
    );
    return lines;
  }
  const declaration = binding.declaration;
  const lines = [...code(`${binding.kind} ${binding.name}`), `declared on line ${declaration.span.line}`, ''];
  const typed = analysis.typed;
  const resolved = typed ? resolvedValue(typed, binding.kind, binding.name) : undefined;
  if (resolved) lines.push(...resolved);
  else {
    lines.push(...code(sourceOf(analysis, declaration)));
    if (typed === null) lines.push('', '_resolved values show once the study has no errors_');
  }
  lines.push(
    ...groupRecipe(analysis, binding, path),
    ...comparisonLines(analysis, binding.kind, [binding.name], path, context),
  );
  return lines;
}

/** `ft[0.5]`, `reference[p]`, `ft[*]`: the members the reference stands for, each resolved. */
function memberHover(analysis: Analysis, use: MemberUse, path: Node[], context: HoverContext): string[] {
  const { family } = use;
  const written = analysis.document.source.slice(use.segment.span.start, use.segment.index.span.end);
  if (use.unknown || !use.members.length) {
    const why = use.unknown ? `no member ${use.unknown}` : 'its members are not known (see the diagnostics)';
    return [...code(`${family.binding.kind} ${written}`), `${why}; the family's members: ${family.members.join(', ')}`];
  }
  const lines = familyLines(analysis, family, use.members, written);
  const varying = use.segment.index.values.flatMap((v) =>
    v.kind === 'Reference' && use.owner.indices?.items.some((i) => i.name.name === v.path[0]!.name)
      ? [v.path[0]!.name]
      : [],
  );
  if (varying.length)
    lines.splice(
      lines.indexOf(`declared on line ${family.binding.declaration.span.line}`),
      0,
      `in each member of ${memberOwner(use)}, the one with the same ${varying.join(', ')}`,
    );
  lines.push(...comparisonLines(analysis, family.binding.kind, use.members, path, context));
  return lines;
}

const MEMBERS_RESOLVED = 3;

/** A family (or some of its members): which members, where it is declared, and each member's resolved value. */
function familyLines(analysis: Analysis, family: Family, members: string[], heading: string): string[] {
  const { binding } = family;
  const declared = `${binding.name}${indicesText(analysis.document.source, binding.declaration)}`;
  const lines = [...code(`${binding.kind} ${heading}`)];
  if (members.length === family.members.length && members.length > 1)
    lines.push(`a family of ${members.length} members: ${members.join(', ')}`);
  else if (members.length === 1) lines.push(`the member ${members[0]} of the family \`${declared}\``);
  else lines.push(`${members.length} members of \`${declared}\`: ${members.join(', ')}`);
  lines.push(`declared on line ${binding.declaration.span.line}`, '');
  const typed = analysis.typed;
  if (!typed) {
    lines.push(
      ...code(sourceOf(analysis, binding.declaration)),
      '',
      '_resolved values show once the study has no errors_',
    );
    return lines;
  }
  for (const member of members.slice(0, MEMBERS_RESOLVED)) {
    const resolved = resolvedValue(typed, binding.kind, member);
    if (resolved) lines.push(`**${member}**`, ...resolved, '');
  }
  if (members.length > MEMBERS_RESOLVED) lines.push(`… and ${members.length - MEMBERS_RESOLVED} more`);
  return lines;
}

/** An index name: the family or claim it ranges over and its values. */
function indexHover(analysis: Analysis, use: IndexUse): string[] {
  const owner = use.owner;
  const family = 'name' in owner ? analysis.families.byName.get(owner.name.name) : undefined;
  const position = owner.indices!.items.indexOf(use.index);
  const values = family?.indices[position]?.values;
  const of = 'name' in owner ? `${declarationWord(owner)} ${owner.name.name}` : 'expect';
  const lines = [...code(`index ${use.index.name.name}`), `an index of ${of} (line ${owner.span.line})`];
  if (values) lines.push(`values: ${values.map((v) => v.spelling).join(', ')}`);
  else if (use.index.values)
    lines.push(`values: ${analysis.document.source.slice(use.index.values.span.start, use.index.values.span.end)}`);
  if (!use.index.values)
    lines.push('', `its values are those of the families referenced with \`${use.index.name.name}\``);
  return lines;
}

const memberOwner = (use: MemberUse) => ('name' in use.owner ? use.owner.name.name : 'expect');

const declarationWord = (declaration: Declaration) => declaration.kind.toLowerCase();

function memberSpan(use: MemberUse): Span {
  const { span } = use.segment;
  const end = use.segment.index.span;
  return { ...span, end: end.end, endLine: end.endLine, endColumn: end.endColumn };
}

/** True for the name itself or one of its family's members (`ft`, `ft[0.5]`). */
const sameOrMember = (name: string, of: string) => name === of || name.startsWith(`${of}[`);

/** A recipe named inside a group's `recipe` attribute: the recipe that group trains with, overrides applied. */
function groupRecipe(analysis: Analysis, binding: Binding, path: Node[]): string[] {
  const typed = analysis.typed;
  const owner = path.find(
    (node): node is Declaration => node.kind === 'Baseline' || node.kind === 'Arm' || node.kind === 'Pretrain',
  );
  const inRecipe = path.some((node) => node.kind === 'Attribute' && node.name.name === 'recipe');
  if (!typed || binding.kind !== 'recipe' || !owner || !inRecipe || !('name' in owner)) return [];
  const name = owner.name.name;
  const group =
    typed.groups.find((g) => sameOrMember(g.name, name)) ?? typed.pretrains.find((p) => sameOrMember(p.name, name));
  if (!group?.recipe) return [];
  return ['', `as ${group.name} trains with it (overrides applied):`, ...code(params(group.recipe))];
}

/** On a comparison or a name inside one: the recorded effective robustness of the arms and shifts it means. */
function comparisonLines(
  analysis: Analysis,
  kind: Binding['kind'],
  names: string[],
  path: Node[],
  context: HoverContext,
): string[] {
  const compare = path.find((node): node is Declaration & { kind: 'Compare' } => node.kind === 'Compare');
  if (kind !== 'compare' && !(compare && ['arm', 'shift', 'split'].includes(kind))) return [];
  const compares = kind === 'compare' ? names : [compare!.name.name];
  const of = (name: string) => names.some((n) => sameOrMember(name, n));
  const relevant = (arm: string, shift: string) => kind === 'compare' || of(arm) || of(shift.split('.')[0]!);
  return ['', ...recordedComparison(analysis, compares, relevant, context)];
}

function sourceOf(analysis: Analysis, declaration: Declaration): string {
  const text = analysis.document.source.slice(declaration.span.start, declaration.span.end);
  const lines = text.split('\n');
  return lines.length > 20 ? [...lines.slice(0, 20), '  …'].join('\n') : text;
}

const params = (values: object) =>
  `{ ${Object.entries(values)
    .map(([name, value]) => `${name} ${formatValue(value)}`)
    .join(', ')} }`;
const stage = (kind: string, values: T.Params) => (Object.keys(values).length ? `${kind} ${params(values)}` : kind);

function chain(distribution: T.TypedDistribution): string {
  const data = distribution.data;
  const root = stage(data.spec.kind, { ...data.spec.params, val: data.val });
  return [root, ...distribution.transforms.map((t) => stage(t.spec.kind, t.spec.params))].join('\n  | ');
}

const shape = (s: T.InputShape) =>
  s.kind === 'image'
    ? `${s.height}×${s.width}×${s.channels} images`
    : s.kind === 'vector'
      ? `vectors of ${s.dim}`
      : 'shape read from the files';

/** What a declaration resolves to in the typed study: defaults filled in, chains flattened, overrides applied. */
function resolvedValue(typed: T.TypedStudy, kind: Binding['kind'], name: string): string[] | undefined {
  switch (kind) {
    case 'data': {
      const data = typed.data.find((d) => d.name === name);
      return (
        data && [
          'resolved:',
          ...code(stage(data.spec.kind, { ...data.spec.params, val: data.val })),
          `${shape(data.shape)}, ${data.classes ?? 'file-defined'} classes`,
        ]
      );
    }
    case 'distribution': {
      const distribution = typed.distributions.find((d) => d.name === name);
      return (
        distribution && [
          'resolved chain:',
          ...code(chain(distribution)),
          `${shape(distribution.shape)}; per-example attributes: ${distribution.attributes.join(', ')}`,
        ]
      );
    }
    case 'shift': {
      const shift = typed.shifts.find((s) => s.name === name);
      return (
        shift && [
          `${shift.from.name} → ${shift.to.name}`,
          `declared ${shift.kind}; its transforms make it ${shift.inferredKind}`,
        ]
      );
    }
    case 'model': {
      const model = typed.models.find((m) => m.name === name);
      if (!model) return undefined;
      const { kind, ...modelParams } = model.spec;
      return ['resolved:', ...code(stage(kind, modelParams as T.Params))];
    }
    case 'recipe': {
      const recipe = typed.recipes.find((r) => r.name === name);
      return recipe && ['resolved (defaults filled in):', ...code(params(recipe.spec))];
    }
    case 'pretrain': {
      const pretrain = typed.pretrains.find((p) => p.name === name);
      return (
        pretrain && [
          `model ${pretrain.model}`,
          'data:',
          ...code(chain(pretrain.data)),
          `recipe ${pretrain.recipeName}:`,
          ...code(params(pretrain.recipe)),
        ]
      );
    }
    case 'baseline':
    case 'arm': {
      const group = typed.groups.find((g) => g.name === name);
      if (!group) return undefined;
      const lines = [
        `model ${group.model.name}, strategy ${group.strategy}${group.init ? ` from ${initName(group.init)}` : ''}, head ${group.head}, ${group.copies} cop${group.copies === 1 ? 'y' : 'ies'}`,
      ];
      if (group.train) lines.push('train:', ...code(chain(group.train)));
      if (group.recipe) lines.push(`recipe ${group.recipeName} (overrides applied):`, ...code(params(group.recipe)));
      lines.push(`checkpoints ${formatValue(group.checkpoints)}`);
      if (group.sweep)
        lines.push(
          `sweep ${group.sweep.param} ${formatValue(group.sweep.values)} select ${group.sweep.select.metric} on ${group.sweep.select.distribution.name}.${group.sweep.select.split}`,
        );
      return lines;
    }
    case 'compare': {
      const compare = typed.compares.find((c) => c.name === name);
      return (
        compare && [
          `arms ${formatValue(compare.arms.map((a) => a.name))} against ${compare.baseline.name}`,
          `shifts ${formatValue(compare.shifts.map((s) => s.label))}`,
          `${compare.metric}, ${compare.scale} scale, ${Math.round(compare.interval * 100)}% interval, groups ${formatValue(compare.groups)}`,
        ]
      );
    }
    case 'split': {
      const split = typed.splits.find((s) => s.name === name);
      return (
        split && [
          `support(${split.shift}) with classifier ${split.classifier}: ${split.folds} folds, threshold ${split.threshold}`,
        ]
      );
    }
  }
}

// ---------------------------------------------------------------- recorded results

function resultsFor(analysis: Analysis, context: HoverContext): { path: string; results: Results } | undefined {
  const study = analysis.document.study;
  return study ? findResults(analysis.file, study.name.name, context.roots) : undefined;
}

const NOT_RUN = '_not run yet_ (no results.json for this study)';

function recordedComparison(
  analysis: Analysis,
  compares: string[],
  relevant: (arm: string, shift: string) => boolean,
  context: HoverContext,
): string[] {
  const found = resultsFor(analysis, context);
  if (!found) return [NOT_RUN];
  const recorded = found.results.comparisons.filter((c) => compares.some((name) => sameOrMember(c.name, name)));
  if (!recorded.length) return [`_${compares.join(', ')} is not in the last run (${runDate(found.results)})_`];
  const lines = [`last run ${runDate(found.results)}, effective robustness (${recorded[0]!.metric}):`, ''];
  for (const comparison of recorded) {
    const prefix = recorded.length > 1 || comparison.name !== compares[0] ? `${comparison.name}: ` : '';
    for (const [arm, byShift] of Object.entries(comparison.arms))
      for (const [shift, result] of Object.entries(byShift))
        if (relevant(arm, shift))
          lines.push(`- ${prefix}${arm} on ${shift}: ${formatEr(result.er, result.low, result.high)}`);
  }
  return lines;
}

/** On a function of an `expect`: its signature and doc, and for a metric call its value in the last run. */
function functionHover(
  analysis: Analysis,
  call: FunctionCall,
  definition: ExpectFunction,
  context: HoverContext,
): string[] {
  const lines = describeFunction(definition);
  if (!definition.metric) return lines;
  const text = printExpression(call);
  const found = resultsFor(analysis, context);
  const recorded = found?.results.expectations.flatMap((e) =>
    e.operands[text] === undefined ? [] : [e.operands[text]!],
  );
  if (found && recorded?.length)
    lines.push('', `last run ${runDate(found.results)}: ${text} = ${signed(recorded[0]!)}`);
  return lines;
}

function expectHover(analysis: Analysis, path: Node[], expect: Node, context: HoverContext): Hover {
  const reference = [...path].reverse().find((node) => node.kind === 'Reference');
  const span = reference?.span ?? expect.span;
  const found = resultsFor(analysis, context);
  const source = analysis.document.source.slice(expect.span.start, expect.span.end);
  const lines = [...code(source)];
  if (!found) return markdown([...lines, NOT_RUN], span);
  // A family of claims (`expect[p in [..]] ..`) records one expectation per member, all on its line.
  const onLine = found.results.expectations.filter((e) => e.line === expect.span.line);
  const recorded = onLine.length ? onLine : found.results.expectations.filter((e) => source.endsWith(e.source));
  if (!recorded.length) return markdown([...lines, `_not in the last run (${runDate(found.results)})_`], span);
  for (const claim of recorded) {
    const which = recorded.length > 1 ? ` (${claim.source})` : '';
    lines.push(
      `last run ${runDate(found.results)}${which}: **${claim.passed ? 'holds' : 'fails'}**, value ${signed(claim.value)}`,
    );
    for (const [operand, value] of Object.entries(claim.operands)) lines.push(`- ${operand} = ${signed(value)}`);
  }
  if (reference?.kind === 'Reference') {
    // Each segment by the name results.json uses: a member reference (`at[0.9]`) by its member's name.
    const names = reference.path.map((segment) => {
      const use = analysis.families.members.find((m) => m.segment === segment);
      return use?.members.length === 1 ? use.members[0]! : segment.name;
    });
    const [compare, arm, ...target] = names;
    const result = found.results.comparisons.find((c) => c.name === compare)?.arms[arm ?? '']?.[target.join('.')];
    if (result)
      lines.push(
        '',
        `${names.join('.')}: ER ${formatEr(result.er, result.low, result.high)} (${result.intervalKind} interval, ${result.copies.length} cop${result.copies.length === 1 ? 'y' : 'ies'})`,
      );
  }
  return markdown(lines, span);
}
