// Hover: an attribute's type, range, default and doc; a name's declaration, kind and resolved value (from
// the typed study once it has no errors); a builtin's docs; on an `expect` or a comparison member, the
// last recorded value from the study's results.json.

import type { Hover } from 'vscode-languageserver/node';
import type { Attribute, Declaration, Node, Span } from '../../grammar/ast.ts';
import type { Binding } from '../../compiler/check/binder.ts';
import { initName } from '../../compiler/check/lookup.ts';
import type * as T from '../../compiler/check/typed.ts';
import { builtinAt, occurrenceAt, pathAt, touches, type Analysis, type Occurrence } from './analysis.ts';
import { toRange } from './convert.ts';
import { findResults, formatEr, runDate, signed, type Results } from './results.ts';
import { builtin, describeAttribute, formatValue } from './schema.ts';

export interface HoverContext {
  /** Workspace folders, where `results/<study>/results.json` is looked for first. */
  roots: readonly string[];
}

const code = (text: string) => ['```shiftlab', text, '```'];

export function hover(analysis: Analysis, offset: number, context: HoverContext): Hover | null {
  const path = pathAt(analysis, offset);
  const expect = path.find((node) => node.kind === 'Expect');
  if (expect) return expectHover(analysis, path, expect, context);

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
  const declaration = binding.declaration;
  const lines = [...code(`${binding.kind} ${binding.name}`), `declared on line ${declaration.span.line}`, ''];
  const typed = analysis.typed;
  const resolved = typed ? resolvedValue(typed, binding) : undefined;
  if (resolved) lines.push(...resolved);
  else {
    lines.push(...code(sourceOf(analysis, declaration)));
    if (typed === null) lines.push('', '_resolved values show once the study has no errors_');
  }
  // A recipe named inside a group's `recipe` attribute: the recipe that group trains with, overrides applied.
  const owner = path.find(
    (node): node is Declaration => node.kind === 'Baseline' || node.kind === 'Arm' || node.kind === 'Pretrain',
  );
  const inRecipe = path.some((node) => node.kind === 'Attribute' && node.name.name === 'recipe');
  if (typed && binding.kind === 'recipe' && owner && inRecipe && 'name' in owner) {
    const group =
      typed.groups.find((g) => g.name === owner.name.name) ?? typed.pretrains.find((p) => p.name === owner.name.name);
    if (group?.recipe)
      lines.push('', `as ${owner.name.name} trains with it (overrides applied):`, ...code(params(group.recipe)));
  }
  const compare = path.find((node) => node.kind === 'Compare');
  if (binding.kind === 'compare' || (compare && ['arm', 'shift', 'split'].includes(binding.kind))) {
    const compareName =
      binding.kind === 'compare' ? binding.name : (compare as Declaration & { name: { name: string } }).name.name;
    lines.push('', ...recordedComparison(analysis, compareName, binding, context));
  }
  return lines;
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
function resolvedValue(typed: T.TypedStudy, binding: Binding): string[] | undefined {
  const name = binding.name;
  switch (binding.kind) {
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
          `arms ${formatValue(compare.arms)} against ${compare.baseline}`,
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
  compareName: string,
  binding: Binding,
  context: HoverContext,
): string[] {
  const found = resultsFor(analysis, context);
  if (!found) return [NOT_RUN];
  const comparison = found.results.comparisons.find((c) => c.name === compareName);
  if (!comparison) return [`_${compareName} is not in the last run (${runDate(found.results)})_`];
  const lines = [`last run ${runDate(found.results)}, effective robustness (${comparison.metric}):`, ''];
  for (const [arm, byShift] of Object.entries(comparison.arms)) {
    for (const [shift, result] of Object.entries(byShift)) {
      const relevant =
        binding.kind === 'compare' ||
        binding.name === arm ||
        shift === binding.name ||
        shift.startsWith(`${binding.name}.`);
      if (relevant) lines.push(`- ${arm} on ${shift}: ${formatEr(result.er, result.low, result.high)}`);
    }
  }
  return lines;
}

function expectHover(analysis: Analysis, path: Node[], expect: Node, context: HoverContext): Hover {
  const reference = [...path].reverse().find((node) => node.kind === 'Reference');
  const span = reference?.span ?? expect.span;
  const found = resultsFor(analysis, context);
  const source = analysis.document.source.slice(expect.span.start, expect.span.end);
  const lines = [...code(source)];
  if (!found) return markdown([...lines, NOT_RUN], span);
  const recorded =
    found.results.expectations.find((e) => e.line === expect.span.line) ??
    found.results.expectations.find((e) => source.endsWith(e.source));
  if (!recorded) return markdown([...lines, `_not in the last run (${runDate(found.results)})_`], span);
  lines.push(
    `last run ${runDate(found.results)}: **${recorded.passed ? 'holds' : 'fails'}**, value ${signed(recorded.value)}`,
  );
  for (const [operand, value] of Object.entries(recorded.operands)) lines.push(`- ${operand} = ${signed(value)}`);
  if (reference?.kind === 'Reference') {
    const [compare, arm, ...target] = reference.path.map((p) => p.name);
    const result = found.results.comparisons.find((c) => c.name === compare)?.arms[arm ?? '']?.[target.join('.')];
    if (result)
      lines.push(
        '',
        `${reference.path.map((p) => p.name).join('.')}: ER ${formatEr(result.er, result.low, result.high)} (${result.intervalKind} interval, ${result.copies.length} cop${result.copies.length === 1 ? 'y' : 'ies'})`,
      );
  }
  return markdown(lines, span);
}
