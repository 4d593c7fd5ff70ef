// What each declaration of a checked study says, as attribute → value, with names of other declarations
// kept as names (not resolved) so a change is reported where it was written: changing `recipe finetune`
// is one change to the recipe, not also one to every arm that uses it. Values compare as canonical JSON;
// `text` is how the value reads in the source (or the default, when the attribute is not written).
import type { Attribute, Declaration, Document, StudyItem, Value } from '../../grammar/ast.ts';
import { initName } from '../check/lookup.ts';
import type { RecipeSpec, TypedDistribution, TypedStudy } from '../check/typed.ts';
import { canonicalJson } from '../../runtime/plan.ts';

export type DeclarationKind =
  | 'data'
  | 'distribution'
  | 'shift'
  | 'model'
  | 'recipe'
  | 'pretrain'
  | 'baseline'
  | 'arm'
  | 'compare'
  | 'split'
  | 'expect'
  | 'study';

export interface AttributeContent {
  /** Canonical JSON of the typed value: what is compared. */
  key: string;
  /** The value as written, or `<value> (default)`. */
  text: string;
}

export interface DeclarationContent {
  kind: DeclarationKind;
  /** Expectations have no name: they are identified by their expression as written. */
  name: string;
  attributes: Map<string, AttributeContent>;
  /** Where the declaration sits in its file ([start, end) offsets), for splicing; null for the study itself. */
  range: { start: number; end: number } | null;
  line: number;
  /** Set on a family's member: the member's name (`ft[0.5]`, or `expect[0.5]` for a family of claims). */
  member?: string;
}

export interface StudyContent {
  study: TypedStudy;
  document: Document;
  declarations: DeclarationContent[];
}

/** Maps a name of the old study to what the new study calls it (identity when not renamed). */
export type Rename = (name: string) => string;
const identity: Rename = (name) => name;

export function studyContent(study: TypedStudy, document: Document, rename: Rename = identity): StudyContent {
  const source = document.source;
  const items = document.study?.items ?? [];
  // A member (`ft[0.5]`) reads its attributes as its family's declaration writes them.
  const declarationNamed = (name: string) =>
    items.find(
      (item): item is Exclude<Declaration, { kind: 'Expect' }> =>
        item.kind !== 'Attribute' &&
        item.kind !== 'Expect' &&
        (item.indices ? item.name.name === familyOf(name) : item.name.name === name),
    );
  const textOf = (values: readonly Value[]) =>
    values.length ? source.slice(values[0]!.span.start, values.at(-1)!.span.end) : '';

  function declaration(
    kind: DeclarationKind,
    name: string,
    span: { start: number; end: number; line: number; member?: string },
    fields: Record<string, unknown>,
  ): DeclarationContent {
    const written = writtenAttributes(declarationNamed(name));
    const attributes = new Map<string, AttributeContent>();
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const attribute = written.get(field);
      attributes.set(field, {
        key: canonicalJson(value),
        text: attribute ? textOf(attribute.values) : `${formatValue(value)} (default)`,
      });
    }
    const content: DeclarationContent = {
      kind,
      name,
      attributes,
      range: { start: span.start, end: span.end },
      line: span.line,
    };
    if (span.member !== undefined) content.member = span.member;
    return content;
  }

  const distributionsByName = new Map(study.distributions.map((d) => [d.name, d]));
  const recipesByName = new Map(study.recipes.map((r) => [r.name, r.spec]));

  /** A distribution's own part: the name it starts from and the transforms added to it. */
  function chain(distribution: TypedDistribution, written: Value | undefined): unknown {
    const root = written?.kind === 'Chain' ? written.stages[0] : written;
    const base = root?.kind === 'Reference' ? root.path[0]!.name : distribution.data.name;
    const inherited = distributionsByName.get(base)?.transforms.length ?? 0;
    return { base: rename(base), transforms: distribution.transforms.slice(inherited).map((t) => t.spec) };
  }
  /** A distribution used by a pretrain or group: its name, or its chain when written inline. */
  const usedDistribution = (distribution: TypedDistribution, owner: string, attribute: string) =>
    distribution.anonymous
      ? chain(distribution, writtenAttributes(declarationNamed(owner)).get(attribute)?.values[0])
      : rename(distribution.name);
  /** The recipe a training step names, with the fields it overrides inline. */
  function recipeUse(name: string, spec: RecipeSpec): unknown {
    const named = recipesByName.get(name);
    const overrides = Object.fromEntries(
      Object.entries(spec).filter(([field, value]) => named?.[field as keyof RecipeSpec] !== value),
    );
    return { recipe: rename(name), overrides };
  }

  const declarations: DeclarationContent[] = [];
  const push = (content: DeclarationContent) => declarations.push(content);

  for (const d of study.data)
    push(declaration('data', d.name, d.span, { source: d.spec.kind, ...d.spec.params, val: d.val }));
  for (const d of study.distributions) {
    if (d.anonymous) continue;
    const written = declarationNamed(d.name);
    push(
      declaration('distribution', d.name, d.span, {
        chain: chain(d, written?.kind === 'Distribution' ? written.value : undefined),
      }),
    );
  }
  for (const s of study.shifts)
    push(declaration('shift', s.name, s.span, { kind: s.kind, from: rename(s.from.name), to: rename(s.to.name) }));
  for (const m of study.models) {
    const { kind: architecture, ...params } = m.spec;
    push(declaration('model', m.name, m.span, { architecture, ...params }));
  }
  for (const r of study.recipes) push(declaration('recipe', r.name, r.span, { ...r.spec }));
  for (const p of study.pretrains) {
    push(
      declaration('pretrain', p.name, p.span, {
        model: rename(p.model.name),
        data: usedDistribution(p.data, p.name, 'data'),
        recipe: recipeUse(p.recipeName, p.recipe),
      }),
    );
  }
  for (const g of study.groups) {
    push(
      declaration(g.role, g.name, g.span, {
        model: rename(g.model.name),
        init: g.init ? rename(initName(g.init)) : null,
        strategy: g.strategy,
        head: g.head,
        train: g.train ? usedDistribution(g.train, g.name, 'train') : null,
        recipe: g.recipe && g.recipeName ? recipeUse(g.recipeName, g.recipe) : null,
        checkpoints: g.checkpoints,
        copies: g.copies,
        sweep: g.sweep
          ? {
              ...g.sweep,
              select: {
                metric: g.sweep.select.metric,
                distribution: rename(g.sweep.select.distribution.name),
                split: g.sweep.select.split,
              },
            }
          : null,
        reweight: g.reweight ? { ...g.reweight, distribution: rename(g.reweight.distribution.name) } : null,
        limit: g.limit,
        balanced_by: g.balancedBy,
      }),
    );
  }
  for (const c of study.compares) {
    push(
      declaration('compare', c.name, c.span, {
        arms: c.arms.map((arm) => rename(arm.name)),
        baseline: rename(c.baseline.name),
        shifts: c.shifts.map((t) => (t.split ? `${rename(t.split.split.name)}.${t.split.part}` : rename(t.shift.name))),
        metric: c.metric,
        scale: c.scale,
        interval: c.interval,
        groups: c.groups,
      }),
    );
  }
  for (const s of study.splits)
    push(
      declaration('split', s.name, s.span, {
        shift: rename(s.shift.name),
        classifier: rename(s.classifier.name),
        folds: s.folds,
        threshold: s.threshold,
      }),
    );
  for (const e of study.expects) {
    const expression = expressionText(e.expression, rename);
    const results = e.paths.map((p) => [p.compare, p.arm, ...p.target.split('.')].map(rename).join('.')).sort();
    const attributes = new Map([
      ['expression', { key: canonicalJson(expression), text: e.source }],
      // Not compared on its own (the expression covers it): used to pair an edited expectation with its old self.
      ['results', { key: canonicalJson(results), text: results.join(', ') }],
    ]);
    declarations.push({
      kind: 'expect',
      name: expression,
      attributes,
      range: { start: e.span.start, end: e.span.end },
      line: e.span.line,
      ...(e.span.member === undefined ? {} : { member: e.span.member }),
    });
  }
  const studyAttributes = new Map(
    items.filter((item): item is Attribute => item.kind === 'Attribute').map((a) => [a.name.name, a]),
  );
  const studyText = (field: string, value: unknown) => {
    const attribute = studyAttributes.get(field);
    return {
      key: canonicalJson(value),
      text: attribute ? textOf(attribute.values) : `${formatValue(value)} (default)`,
    };
  };
  declarations.push({
    kind: 'study',
    name: study.name,
    attributes: new Map([
      ['seed', studyText('seed', study.seed)],
      ['title', studyText('title', study.title)],
    ]),
    range: null,
    line: study.span.line,
  });
  return { study, document, declarations };
}

/** The family a member's name belongs to (`ft[0.5]` → `ft`); a plain name is its own. */
export function familyOf(name: string): string {
  const bracket = name.indexOf('[');
  return bracket < 0 ? name : name.slice(0, bracket);
}

/** The attributes written in a declaration's block (or in its value's block: `mnist { train 100 }`). */
function writtenAttributes(declaration: StudyItem | undefined): Map<string, Attribute> {
  const attributes: Attribute[] = [];
  if (declaration && 'body' in declaration) attributes.push(...declaration.body.attributes);
  if (declaration && 'value' in declaration && declaration.value.kind === 'Call')
    attributes.push(...(declaration.value.block?.attributes ?? []));
  const result = new Map(attributes.map((a) => [a.name.name, a]));
  // The value itself reads as an attribute: `distribution x = <chain>`, `model m = <architecture>`.
  if (declaration?.kind === 'Distribution') result.set('chain', { ...syntheticAttribute(declaration.value) });
  return result;
}

function syntheticAttribute(value: Value): Attribute {
  return {
    kind: 'Attribute',
    name: { kind: 'Identifier', name: '', span: value.span },
    values: [value],
    span: value.span,
  };
}

/** An expectation in a canonical spelling (numbers by value, parentheses from precedence), names renamed. */
function expressionText(expression: import('../../grammar/ast.ts').Expression, rename: Rename): string {
  switch (expression.kind) {
    case 'Binary':
      return `(${expressionText(expression.left, rename)} ${expression.operator} ${expressionText(expression.right, rename)})`;
    case 'Unary':
      return `-${expressionText(expression.operand, rename)}`;
    case 'FunctionCall': {
      const args = expression.args.map((a) => expressionText(a, rename));
      // A checked study's groups are attribute names (never renamed: they are the data's, not declarations).
      const group = (item: Value) => (item.kind === 'Reference' ? item.path.map((p) => p.name).join('.') : item.kind);
      if (expression.by) args.push(`by [${expression.by.items.map(group).join(', ')}]`);
      return `${expression.callee.name}(${args.join(', ')})`;
    }
    case 'Number':
      return String(expression.value);
    case 'Percent':
      return `${expression.value}%`;
    case 'Reference':
      return expression.path.map((p) => rename(p.name)).join('.');
  }
}

/** A typed value for display when the source does not spell it out. */
export function formatValue(value: unknown): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${formatValue(v)}`)
      .join(', ')} }`;
  }
  return String(value);
}
