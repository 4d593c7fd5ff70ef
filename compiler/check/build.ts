// Builds the TypedStudy from a bound study with no errors: resolves every reference to the typed object it
// names, flattens chains, and fills every default from builtins.ts (the one place a default is applied:
// the planner and the runtime receive complete specs). Called only after the rules found no errors, so
// readings are well-formed.

import type { Attribute, CallValue, Expression, FunctionCall, Reference, Span } from '../../grammar/ast.ts';
import { isMetricFunction } from '../../runtime/expect/functions.ts';
import { toModelSpec } from '../../runtime/models/architectures/index.ts';
import { isBackboneKind, toBackboneSpec } from '../../runtime/models/frozen/kinds.ts';
import { specDefaults, type DefaultsOwner } from '../../runtime/schema.ts';
import { recipeFrom } from '../../runtime/train/recipe.ts';
import { referencesIn, visit } from '../../grammar/visitor.ts';
import type { Binding, BoundStudy } from './binder.ts';
import {
  architectures,
  armAttributes,
  baselineAttributes,
  compareAttributes,
  objectives,
  sources,
  splitAttributes,
  studyAttributes,
  transforms,
  type AttributeTable,
} from './builtins.ts';
import { attributeOf, attributesOf, initOf, valueOf } from './lookup.ts';
import type { StudyIndex } from './sites.ts';
import { inferShiftKind } from './support.ts';
import type * as T from './typed.ts';
import {
  readChain,
  readValues,
  type ChainReading,
  type ClassifierSweepReading,
  type ObjectiveReading,
  type SplitRefReading,
  type ReadValue,
  type RecipeReading,
  type ReweightReading,
  type SweepReading,
  type TargetReading,
} from './values.ts';

export function buildTypedStudy(bound: BoundStudy, index: StudyIndex): T.TypedStudy {
  const ctx = { index };
  const bindings = [...bound.symbols.values()];
  const of = (kind: Binding['kind']) => bindings.filter((b) => b.kind === kind);
  const symbol = (name: string) => bound.symbols.get(name)!;
  /** A declaration's attribute as read, else its table's default (the one place it is written). */
  const setting = (binding: Binding, table: AttributeTable, name: string) =>
    valueOf(ctx, binding, name) ?? table[name]!.default;

  /** What is written (only JSON values), then the owner's defaults as a spec carries them (specDefaults). */
  function params(owner: DefaultsOwner, attributes: Attribute[], positional: T.Params = {}): T.Params {
    const result: T.Params = {};
    for (const attribute of attributes) {
      const value = index.readings.get(attribute)?.value;
      if (value !== undefined) result[attribute.name.name] = paramValue(value);
    }
    return specDefaults(owner, { ...result, ...positional });
  }

  const data = new Map<string, T.TypedDataSource>();
  for (const binding of of('data')) {
    const value = (binding.declaration as { value: Reference | CallValue }).value;
    const call = value.kind === 'Call' ? value : undefined;
    const source = (call ? call.callee : (value as Reference)).path[0]!.name as T.SourceKind;
    const builtin = sources[source];
    const positional: T.Params = {};
    builtin.positional.forEach((position, i) => {
      const arg = call?.args[i];
      if (arg?.kind === 'String') positional[position.name] = arg.value;
    });
    const p = params(builtin, call?.block?.attributes ?? [], positional);
    const { val, ...sourceParams } = p;
    data.set(binding.name, {
      name: binding.name,
      spec: { kind: source, params: sourceParams },
      val: Number(val),
      shape: builtin.shape(p),
      classes: builtin.classes(p),
      records: builtin.records?.(p) ?? [],
      span: binding.declaration.span,
    });
  }

  function transform(stage: Reference | CallValue): T.TypedTransform {
    const call = stage.kind === 'Call' ? stage : undefined;
    const kind = (call ? call.callee : (stage as Reference)).path[0]!.name;
    const builtin = transforms[kind]!;
    const positional: T.Params = {};
    if (builtin.positional && call?.args[0]) {
      const value = readValues([call.args[0]], builtin.positional.type, call.args[0].span).value;
      if (value !== undefined) positional[builtin.positional.name] = paramValue(value);
    }
    return { spec: { kind, params: params(builtin, call?.block?.attributes ?? [], positional) }, span: stage.span };
  }

  const distributions = new Map<string, T.TypedDistribution>();
  function resolveChain(chain: ChainReading, name: string, anonymous: boolean, span: Span): T.TypedDistribution {
    const rootName = chain.root.path[0]!.name;
    const root = data.get(rootName) ? fromData(data.get(rootName)!) : declaredDistribution(rootName);
    let shape = root.shape;
    const steps = chain.stages.map(transform);
    const attributes = new Set(root.attributes);
    for (const step of steps) {
      const builtin = transforms[step.spec.kind]!;
      shape = builtin.reshape ? builtin.reshape(shape, step.spec.params) : shape;
      builtin.records.forEach((a) => attributes.add(a));
    }
    return {
      name,
      anonymous,
      data: root.data,
      transforms: [...root.transforms, ...steps],
      shape,
      classes: root.classes,
      attributes: [...attributes],
      span,
    };
  }
  /** A data source used as a distribution: one object per source, so references to it compare equal. */
  const asDistribution = new Map<T.TypedDataSource, T.TypedDistribution>();
  const fromData = (source: T.TypedDataSource): T.TypedDistribution => {
    const known = asDistribution.get(source);
    if (known) return known;
    const made = {
      name: source.name,
      anonymous: false,
      data: source,
      transforms: [],
      shape: source.shape,
      classes: source.classes,
      attributes: ['label', ...source.records],
      span: source.span,
    };
    asDistribution.set(source, made);
    return made;
  };
  function declaredDistribution(name: string): T.TypedDistribution {
    const known = distributions.get(name);
    if (known) return known;
    const binding = symbol(name);
    const value = (binding.declaration as { value: Reference | CallValue }).value;
    const resolved = resolveChain(readChain(value)!, name, false, binding.declaration.span);
    distributions.set(name, resolved);
    return resolved;
  }
  /** A data or distribution name as a distribution. */
  const distributionNamed = (name: string) => (data.has(name) ? fromData(data.get(name)!) : declaredDistribution(name));
  of('distribution').forEach((b) => declaredDistribution(b.name));

  const recipes = of('recipe').map((b): T.TypedRecipe => ({
    name: b.name,
    spec: recipeFrom(params({ attributes: {} }, attributesOf(b))),
    span: b.declaration.span,
  }));
  const recipeSpec = (reading: RecipeReading): T.RecipeSpec => {
    const base = recipes.find((r) => r.name === reading.name)!.spec;
    return recipeFrom(params({ attributes: {} }, reading.overrides), base);
  };

  const models = of('model').map((b): T.TypedModel => {
    const value = (b.declaration as { value: Reference | CallValue }).value;
    const call = value.kind === 'Call' ? value : undefined;
    const architecture = (call ? call.callee : (value as Reference)).path[0]!.name;
    const builtin = architectures[architecture]!;
    const positional: T.Params = {};
    if (builtin.positional && call?.args[0]?.kind === 'String')
      positional[builtin.positional.name] = call.args[0].value;
    const p = params(builtin, call?.block?.attributes ?? [], positional);
    const spec = isBackboneKind(architecture) ? toBackboneSpec(architecture, p) : toModelSpec(architecture, p);
    return { name: b.name, spec, span: b.declaration.span };
  });
  const model = (name: string) => models.find((m) => m.name === name)!;

  const inline = (owner: Binding, attribute: string): T.TypedDistribution | null => {
    const chain = valueOf(ctx, owner, attribute) as ChainReading | undefined;
    if (!chain) return null;
    const anonymous = chain.stages.length > 0;
    return anonymous
      ? resolveChain(chain, `${owner.name}.${attribute}`, true, chain.span)
      : distributionNamed(chain.root.path[0]!.name);
  };

  const pretrains = of('pretrain').map((b): T.TypedPretrain => {
    const recipe = valueOf(ctx, b, 'recipe') as RecipeReading;
    return {
      name: b.name,
      model: model(valueOf(ctx, b, 'model') as string),
      data: inline(b, 'data')!,
      recipe: recipeSpec(recipe),
      recipeName: recipe.name,
      span: b.declaration.span,
    };
  });

  const groups = new Map<string, T.TypedTrainingGroup>();
  function group(binding: Binding): T.TypedTrainingGroup {
    const known = groups.get(binding.name);
    if (known) return known;
    const initName = initOf(ctx, binding)?.name;
    const initBinding = initName === undefined ? undefined : symbol(initName);
    const initGroup =
      initBinding && (initBinding.kind === 'baseline' || initBinding.kind === 'arm') ? group(initBinding) : undefined;
    const initPretrain =
      initBinding?.kind === 'pretrain' ? pretrains.find((p) => p.name === initBinding.name) : undefined;
    const initModel = initBinding?.kind === 'model' ? model(initBinding.name) : undefined;
    const init: T.InitRef | null = initPretrain
      ? { kind: 'pretrain', pretrain: initPretrain }
      : initGroup
        ? { kind: 'group', group: initGroup }
        : initModel
          ? { kind: 'backbone', model: initModel }
          : null;
    const train = inline(binding, 'train');
    const recipeReading = valueOf(ctx, binding, 'recipe') as RecipeReading | undefined;
    const recipe = train && recipeReading ? recipeSpec(recipeReading) : null;
    const sweep = valueOf(ctx, binding, 'sweep') as SweepReading | undefined;
    const reweight = valueOf(ctx, binding, 'reweight') as ReweightReading | undefined;
    const initClasses = initPretrain?.data.classes ?? initGroup?.train?.classes ?? null;
    const head =
      (valueOf(ctx, binding, 'head') as 'new' | 'keep' | undefined) ??
      (init && init.kind !== 'backbone' && initClasses === (train?.classes ?? initClasses) ? 'keep' : 'new');
    // The checker reports a group with neither a model nor an init.
    const trained = modelOf(binding) ?? initPretrain?.model ?? initModel ?? initGroup!.model;
    const result: T.TypedTrainingGroup = {
      name: binding.name,
      role: binding.kind === 'baseline' ? 'baseline' : 'arm',
      model: trained,
      init,
      // Over a frozen backbone (an init of it, or of a probe arm over it) only a linear head trains: lp.
      strategy:
        (valueOf(ctx, binding, 'strategy') as T.Strategy | undefined) ??
        (init ? (init.kind === 'backbone' || isBackboneKind(trained.spec.kind) ? 'lp' : 'ft') : 'scratch'),
      head,
      train,
      recipe,
      recipeName: recipe ? recipeReading!.name : null,
      checkpoints: (valueOf(ctx, binding, 'checkpoints') as number[] | undefined) ?? (recipe ? [recipe.epochs] : []),
      copies: (valueOf(ctx, binding, 'copies') ?? initGroup?.copies ?? baselineAttributes.copies!.default) as number,
      points: setting(binding, baselineAttributes, 'points') as T.BaselinePoints,
      sweep: sweep
        ? {
            param: sweep.param as keyof T.RecipeSpec,
            values: sweep.values,
            select: {
              metric: sweep.metric,
              distribution: distributionNamed(sweep.select.distribution),
              split: sweep.select.split,
              groups: defaultGroups(distributionNamed(sweep.select.distribution)),
            },
          }
        : null,
      reweight: reweight
        ? {
            layer: reweight.layer,
            distribution: distributionNamed(reweight.on.distribution),
            split: reweight.on.split,
            balancedBy: reweight.balancedBy,
            ...(optionsOf(binding, 'reweight') as { C: number[]; subsets: number }),
          }
        : null,
      objective: objectiveOf(valueOf(ctx, binding, 'objective') as ObjectiveReading | undefined, train),
      limit: (valueOf(ctx, binding, 'limit') as number | undefined) ?? null,
      balancedBy: (valueOf(ctx, binding, 'balanced_by') as string[] | undefined) ?? null,
      span: binding.declaration.span,
    };
    groups.set(binding.name, result);
    return result;
  }
  /** An objective's parameters: its table's defaults, what its block writes, and groups from the data when unset. */
  function objectiveOf(
    reading: ObjectiveReading | undefined,
    train: T.TypedDistribution | null,
  ): T.ObjectiveSpec | null {
    if (!reading) return null;
    const def = objectives[reading.name]!;
    const p = params(def, reading.value.kind === 'Call' ? (reading.value.block?.attributes ?? []) : []);
    if ('groups' in def.attributes && p.groups === undefined && train) p.groups = defaultGroups(train);
    return { kind: reading.name, params: p };
  }
  /** An attribute's `{ … }` options: its options table's defaults, then what the block writes. */
  function optionsOf(binding: Binding, name: 'reweight'): T.Params {
    return params(
      { attributes: armAttributes[name]!.options ?? {} },
      attributeOf(binding, name)?.block?.attributes ?? [],
    );
  }
  function modelOf(binding: Binding): T.TypedModel | undefined {
    const name = valueOf(ctx, binding, 'model') as string | undefined;
    return name === undefined ? undefined : model(name);
  }
  bindings.filter((b) => b.kind === 'baseline' || b.kind === 'arm').forEach(group);

  const shifts = of('shift').map((b): T.TypedShift => {
    const declaration = b.declaration as Extract<Binding['declaration'], { kind: 'Shift' }>;
    const from = distributionNamed(declaration.from.path[0]!.name);
    const to = distributionNamed(declaration.to.path[0]!.name);
    return {
      name: b.name,
      kind: declaration.shiftKind.name as T.ShiftKind,
      inferredKind: inferShiftKind(from, to),
      from,
      to,
      span: declaration.span,
    };
  });
  const shiftNamed = (name: string) => shifts.find((s) => s.name === name)!;

  const splits = of('split').map((b): T.TypedSplit => {
    const call = (b.declaration as Extract<Binding['declaration'], { kind: 'Split' }>).value;
    const recipeReading = valueOf(ctx, b, 'recipe') as RecipeReading | undefined;
    const classifierName = valueOf(ctx, b, 'classifier') as string;
    const init = pretrains.find((p) => p.name === classifierName) ?? null;
    const sweep = valueOf(ctx, b, 'sweep') as ClassifierSweepReading | undefined;
    const source = valueOf(ctx, b, 'source') as SplitRefReading | undefined;
    return {
      name: b.name,
      shift: shiftNamed((call.args[0] as Reference).path[0]!.name),
      classifier: init ? init.model : model(classifierName),
      init,
      source: source?.split ?? 'train',
      sweep: sweep ? { param: sweep.param as keyof T.RecipeSpec, values: sweep.values } : null,
      epsilons: setting(b, splitAttributes, 'epsilons') as number[],
      folds: setting(b, splitAttributes, 'folds') as number,
      threshold: setting(b, splitAttributes, 'threshold') as number,
      recipe: recipeReading ? recipeSpec(recipeReading) : null,
      span: b.declaration.span,
    };
  });

  const compares = of('compare').map((b): T.TypedCompare => {
    const baseline = groups.get(valueOf(ctx, b, 'baseline') as string)!;
    const targets = valueOf(ctx, b, 'shifts') as TargetReading[];
    return {
      name: b.name,
      arms: (valueOf(ctx, b, 'arms') as string[]).map((arm) => groups.get(arm)!),
      baseline,
      shifts: targets.map(({ path }): T.CompareTarget => {
        if (path.length === 1) return { label: path[0]!, shift: shiftNamed(path[0]!), split: null };
        const split = splits.find((s) => s.name === path[0])!;
        return { label: path.join('.'), shift: split.shift, split: { split, part: path[1] as T.ShiftKind } };
      }),
      metric: setting(b, compareAttributes, 'metric') as T.Metric,
      scale: setting(b, compareAttributes, 'scale') as T.Scale,
      ...intervalOf(valueOf(ctx, b, 'interval') as number | 'copies' | undefined),
      groups:
        (valueOf(ctx, b, 'groups') as string[] | undefined) ??
        (baseline.train ? defaultGroups(baseline.train) : ['label']),
      span: b.declaration.span,
    };
  });

  const metricCall = (call: FunctionCall): T.TypedMetricCall => {
    // A checked study's metric call has a model name and a `distribution.split` or `split.part` (sites.ts, S2017).
    const [model, on] = call.args as [Reference, Reference];
    const modelName = model.path[0]!.name;
    const group = groups.get(modelName);
    const [where, what] = on.path.map((segment) => segment.name) as [string, string];
    const support = splits.find((split) => split.name === where);
    // A part is of the shift's test split: its shifted side's test examples.
    const distribution = support ? support.shift.to : distributionNamed(where);
    const written = call.by && (readValues([call.by], { type: 'nameList' }, call.by.span).value as string[]);
    return {
      call,
      metric: call.callee.name as T.Metric,
      model: group
        ? { kind: 'group', group }
        : { kind: 'pretrain', pretrain: pretrains.find((p) => p.name === modelName)! },
      distribution,
      split: support ? 'test' : (what as T.SplitName),
      part: support ? { split: support, part: what as T.ShiftKind } : null,
      groups: written || defaultGroups(distribution),
      by: call.by ?? null,
    };
  };
  const metricCalls = (expression: Expression): T.TypedMetricCall[] => {
    const calls: T.TypedMetricCall[] = [];
    visit(expression, {
      enter: (node) => {
        if (node.kind === 'FunctionCall' && isMetricFunction(node.callee.name)) calls.push(metricCall(node));
      },
    });
    return calls;
  };

  const expects = bound.expects.map((e): T.TypedExpect => ({
    expression: e.expression,
    paths: referencePaths(e.expression, index),
    metrics: metricCalls(e.expression),
    source: bound.document.source.slice(e.expression.span.start, e.expression.span.end),
    span: e.span,
  }));

  const studyValue = (name: string) => {
    const attribute = bound.studyAttributes.find((a) => a.name.name === name);
    return attribute && index.readings.get(attribute)?.value;
  };
  return {
    name: bound.study.name.name,
    title: (studyValue('title') as string | undefined) ?? null,
    seed: (studyValue('seed') ?? studyAttributes.seed!.default) as number,
    file: bound.document.file,
    data: [...data.values()],
    distributions: of('distribution').map((b) => distributions.get(b.name)!),
    shifts,
    models,
    recipes,
    pretrains,
    groups: [...groups.values()].sort((a, b) => a.span.start - b.span.start),
    compares,
    splits,
    expects,
    span: bound.study.span,
  };
}

/** Group attributes for worst-group metrics when none are written: [label, aligned] when the data carries `aligned`. */
function defaultGroups(distribution: T.TypedDistribution): string[] {
  return distribution.attributes.includes('aligned') ? ['label', 'aligned'] : ['label'];
}

/** A reading as a spec parameter: only numbers, strings and lists of them reach a param table. */
function paramValue(value: ReadValue): T.ParamValue {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) return value as number[];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new Error(`a ${typeof value} reading is not a parameter value`);
}

function referencePaths(expression: T.TypedExpect['expression'], index: StudyIndex): T.ResultPath[] {
  return referencesIn(expression)
    .filter((reference) => index.resultReferences.has(reference))
    .map((reference) => {
      const [compare, arm, ...target] = reference.path.map((p) => p.name);
      return { compare: compare!, arm: arm!, target: target.join('.'), span: reference.span };
    });
}

/** `interval 90%` is the regression interval's level; `interval copies` the copies' spread at 95% (1.96·std/√n). */
function intervalOf(value: number | 'copies' | undefined): Pick<T.TypedCompare, 'interval' | 'intervalRule'> {
  const level = compareAttributes.interval!.default as number;
  if (value === 'copies') return { interval: level, intervalRule: 'copies' };
  return { interval: value ?? level, intervalRule: 'regression' };
}
