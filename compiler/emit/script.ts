// A checked study as a standalone TypeScript program: the StudyBuilder calls the planner made (recorded),
// written out one section per declaration, each under a comment quoting its .study lines, with named
// constants for the values the study set, then `runStudy`. Built with ts-morph structures and TypeScript
// AST nodes (never by pasting study text into code), laid out by prettier section by section (layout.ts).
import { basename, relative, resolve, sep } from 'node:path';
import {
  StructureKind,
  ts,
  VariableDeclarationKind,
  type StatementStructures,
  type VariableStatementStructure,
} from 'ts-morph';
import type { Document, Span } from '../../grammar/ast.ts';
import { parse } from '../../grammar/index.ts';
import type { TypedModel, TypedRecipe, TypedShift, TypedStudy } from '../check/typed.ts';
import { buildStudy, newStudyBuilder } from '../plan/index.ts';
import { studyDir } from '../../runtime/input-files.ts';
import { canonicalJson, type Plan, type SourceRef } from '../../runtime/plan.ts';
import { DEFAULT_RECIPE, type RecipeSpec } from '../../runtime/train/recipe.ts';
import { layOut, LIST_MARK, type ListStatement, type Section } from './layout.ts';
import { memberAccess, printExpression, toExpression, type Substitute } from './literal.ts';
import {
  containsHole,
  familyIndexNames,
  familyRuns,
  familyShape,
  isHole,
  loopValue,
  unify,
  type FamilyRun,
  type FamilyShape,
  type IndexNames,
} from './loops.ts';
import { recordBuilderCalls, type BuilderCall } from './record.ts';
import { studyLines } from './source-lines.ts';

/** The package entry a compiled script imports (resolved through package.json `exports`). */
export const RUNTIME_MODULE = 'shiftlab/runtime';

export interface EmittedScript {
  /** The formatted TypeScript program. */
  code: string;
  /** The plan the script builds (the planner's, recorded while emitting). */
  plan: Plan;
}

// Names the script itself uses; a declaration with one of these names gets a `_` suffix.
const RUNTIME_IMPORTS = [
  'DEFAULT_BACKEND',
  'DEFAULT_CACHE_DIR',
  'StudyBuilder',
  'defaultOutDir',
  'describeResultPaths',
  'describeRunFailures',
  'interruptOnSignals',
  'parseBackendChoice',
  'parseWorkerCount',
  'recipe',
  'runExitCode',
  'runStudy',
];
const TYPE_IMPORTS = ['ModelSpec', 'RecipeSpec', 'ShiftRef', 'SourceRef', 'SourceSpec', 'TransformSpec'];
const SCRIPT_NAMES = [
  'at',
  'study',
  'plan',
  'options',
  'interruption',
  'result',
  'failure',
  'where',
  'expectation',
  'studySource',
  'isMain',
];
const NODE_IMPORTS: [string, string[]][] = [
  ['node:fs', ['realpathSync']],
  ['node:path', ['resolve']],
  ['node:url', ['fileURLToPath', 'pathToFileURL']],
  ['node:util', ['parseArgs']],
];
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await async of type undefined NaN Infinity arguments eval process console'
  ).split(' '),
);

export interface EmitOptions {
  /**
   * The folder the script will be saved in (default: the current directory, where `compile > x.ts` puts it).
   * The script finds the study's folder, which relative input paths resolve against, from its own location.
   */
  scriptDir?: string;
}

/** Compiles a checked study (its source text, and the document parsed from it, when the caller has it) to a script. */
export async function emitScript(
  typed: TypedStudy,
  source: string,
  options: EmitOptions = {},
  document: Document = parse(source, typed.file).document,
): Promise<EmittedScript> {
  const { plan, calls } = recordBuilderCalls(newStudyBuilder(typed, source), (builder) =>
    buildStudy(typed, source, builder).plan(),
  );
  const fromScript = relative(resolve(options.scriptDir ?? '.'), studyDir(typed.file))
    .split(sep)
    .join('/');
  const emitter = new ScriptEmitter(typed, source, document, fromScript === '' ? './' : `${fromScript}/`);
  return { code: await layOut(emitter.emit(calls)), plan };
}

class ScriptEmitter {
  private readonly used = new Set<string>([
    ...RUNTIME_IMPORTS,
    ...TYPE_IMPORTS,
    ...SCRIPT_NAMES,
    ...NODE_IMPORTS.flatMap(([, names]) => names),
    ...RESERVED,
  ]);
  /** Handles and hoisted constants (by identity) → their variable. */
  private readonly variables = new Map<unknown, string>();
  /** The names loops iterate with (block-scoped, so shared between loops). */
  private readonly loopIndices = new Set<string>();
  /** Handles of family members written in a loop → the family's record and the member's key in it. */
  private readonly members = new Map<unknown, { variable: string; family: string; spellings: string[] }>();
  /** Model, recipe and shift constants by content: a variable, or a family record's entry. */
  private readonly byContent = new Map<string, RecordEntry>();
  /** Places (`line:column`) of the declarations whose family familyRecord has tried to write as a record. */
  private readonly familiesTried = new Set<string>();
  /** Distribution handles by the study's name for them (`reference[0.5]`): a shift family's members' sides. */
  private readonly distributions = new Map<string, unknown>();
  private readonly indexNames: IndexNames;
  private readonly kinds: {
    model: DeclarationKind<TypedModel>;
    recipe: DeclarationKind<TypedRecipe>;
    shift: DeclarationKind<TypedShift>;
  };
  private readonly sections: Section[] = [];
  private readonly spans: [string, SourceRef][] = [];
  /** Runtime types the script names (only those are imported). */
  private readonly types = new Set<string>(['SourceRef']);
  private readonly lines;
  private readonly file: string;

  constructor(
    private readonly typed: TypedStudy,
    private readonly source: string,
    document: Document,
    /** The study's folder as a URL relative to the script's (`./`, `../studies/`). */
    private readonly studyFolder: string,
  ) {
    this.lines = studyLines(typed, source);
    this.file = basename(typed.file);
    this.indexNames = familyIndexNames(document);
    this.kinds = {
      model: declarationKind({
        type: 'ModelSpec',
        declarations: typed.models,
        valueOf: (model) => model.spec,
        contentOf: canonicalJson,
        write: toExpression,
      }),
      recipe: declarationKind({
        type: 'RecipeSpec',
        declarations: typed.recipes,
        valueOf: (recipe) => recipe.spec,
        contentOf: canonicalJson,
        write: (value, substitute) => recipeCall(value as object, substitute),
      }),
      shift: declarationKind({
        type: 'ShiftRef',
        declarations: typed.shifts,
        // As the planner passes it: its sides are distribution handles.
        valueOf: (shift) => ({
          name: shift.name,
          from: this.distributions.get(shift.from.name),
          to: this.distributions.get(shift.to.name),
        }),
        // Its sides as the script names them (a declaration's variable or a family member's record entry).
        contentOf: (value) => `shift:${printExpression(toExpression(value, this.handleSubstitute))}`,
        write: toExpression,
        // The planner passes a shift with its declaration's name.
        nameOf: (value) => String((value as { name: unknown }).name),
      }),
    };
  }

  /** The script's sections, in order. */
  emit(calls: BuilderCall[]): Section[] {
    this.header();
    for (const call of calls)
      if (call.method === 'distribution') this.distributions.set(String(call.args[0]), call.result);
    const runs = familyRuns(calls, this.typed, this.indexNames);
    for (let i = 0; i < calls.length;) {
      const run = runs.get(i);
      if (run && this.loopSection(run)) i += run.calls.length;
      else this.callSection(calls[i++]!);
    }
    this.footer();
    const imports: Section = {
      comment: [
        `${basename(this.typed.file, '.study')}: compiled from ${this.file} by \`shiftlab compile\`. Plain TypeScript over shiftlab/runtime:`,
        'read it, edit it, commit it. Run it with `npx tsx <this file> [--backend auto|wasm|cpu|tensorflow] [--workers N]',
        '[--cache DIR] [--out DIR]` (or SHIFTLAB_BACKEND, SHIFTLAB_WORKERS, SHIFTLAB_CACHE, SHIFTLAB_OUT); importing it only builds `plan`.',
      ],
      statements: [
        ...NODE_IMPORTS.map(([moduleSpecifier, namedImports]): StatementStructures => ({
          kind: StructureKind.ImportDeclaration,
          moduleSpecifier,
          namedImports,
        })),
        {
          kind: StructureKind.ImportDeclaration,
          moduleSpecifier: RUNTIME_MODULE,
          namedImports: [
            ...RUNTIME_IMPORTS,
            ...TYPE_IMPORTS.filter((name) => this.types.has(name)).map((name) => `type ${name}`),
          ],
        },
      ],
    };
    const spans: Section = {
      comment: [
        `Where each declaration sits in ${this.file}: errors from the builder and from failing jobs name these lines.`,
      ],
      statements: [
        {
          statement: constStatement('at', `${LIST_MARK} satisfies Record<string, SourceRef>`),
          list: 'object',
          // Keys are the script's own identifiers (allocated), values literals.
          items: this.spans.map(([key, at]) => `${key}: ${literal(at)}`),
        },
      ],
    };
    return [imports, spans, ...this.sections];
  }

  // ---------------------------------------------------------------- sections

  private header(): void {
    const { name, seed, title } = this.typed;
    const info = { name, title: title ?? undefined, file: this.typed.file, seed };
    const args = ts.factory.createObjectLiteralExpression([
      ...(toExpression(info) as ts.ObjectLiteralExpression).properties,
      ts.factory.createPropertyAssignment(
        'source',
        ts.factory.createCallExpression(ts.factory.createIdentifier('studySource'), undefined, []),
      ),
    ]);
    // Found from the script's own location, so the script reads the study's files from wherever it is run.
    const dir = ts.factory.createPropertyAssignment(
      'dir',
      ts.factory.createCallExpression(ts.factory.createIdentifier('fileURLToPath'), undefined, [
        ts.factory.createNewExpression(ts.factory.createIdentifier('URL'), undefined, [
          ts.factory.createStringLiteral(this.studyFolder),
          ts.factory.createPropertyAccessExpression(
            ts.factory.createMetaProperty(ts.SyntaxKind.ImportKeyword, ts.factory.createIdentifier('meta')),
            'url',
          ),
        ]),
      ]),
    );
    this.section(this.lines.quote(this.typed.span.line, true), [
      constStatement(
        'study',
        `new StudyBuilder(${printExpression(ts.factory.createObjectLiteralExpression([...args.properties, dir]))})`,
      ),
    ]);
  }

  private callSection(call: BuilderCall): void {
    const [first, ...rest] = call.args;
    const at = rest.at(-1) as SourceRef | undefined;
    const isExpect = call.method === 'expect';
    const name = isExpect ? `expect_line${at?.line ?? this.spans.length}` : String(first);
    const variable = isExpect ? undefined : this.allocate(name);
    const key = variable ?? this.allocate(name);
    const hoisted: StatementStructures[] = [];
    const substitute = this.substitute(name, hoisted);
    // Values the study set, named: the data source and the transform chain.
    const args = call.args.slice(0, -1).map((arg, index) => {
      if (call.method === 'data' && index === 1)
        return ts.factory.createIdentifier(this.constant(`${name}_source`, literal(arg), 'SourceSpec', hoisted));
      if (call.method === 'distribution' && index === 2 && Array.isArray(arg) && arg.length)
        return ts.factory.createIdentifier(
          this.constant(`${name}_transforms`, literal(arg), 'TransformSpec[]', hoisted),
        );
      return toExpression(arg, substitute);
    });
    if (at) {
      this.spans.push([key, at]);
      args.push(memberAccess('at', key));
    }
    const callText = printExpression(
      ts.factory.createCallExpression(
        ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier('study'), call.method),
        undefined,
        args,
      ),
    );
    if (variable) this.variables.set(call.result, variable);
    this.section(at ? this.lines.quote(at.line) : [name], [
      ...hoisted,
      variable ? constStatement(variable, callText) : `${callText};`,
    ]);
  }

  /**
   * A family's members as one call in a loop over the index values (loops.ts); false when the members differ in
   * a way a loop cannot write, and they are then written one by one.
   */
  private loopSection(run: FamilyRun): boolean {
    const [first] = run.calls;
    const at = first!.args.at(-1) as SourceRef | undefined;
    const template = unify(
      run,
      run.calls.map((call) => call.args.slice(0, -1)),
      (handle) => this.members.get(handle),
      this.isHandle,
    );
    if (!template || !at) return false;
    const f = ts.factory;
    const isExpect = first!.method === 'expect';
    const variable = isExpect ? undefined : this.allocate(run.family);
    const key = variable ?? this.allocate(`expect_line${at.line}`);
    const hoisted: StatementStructures[] = [];
    const shared = this.substitute(run.family, hoisted);
    const loop = this.familyLoop(run, variable, `ReturnType<typeof study.${first!.method}>`, shared, (substitute) =>
      f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('study'), first!.method), undefined, [
        ...template.map((arg) => toExpression(arg, substitute)),
        memberAccess('at', key),
      ]),
    );
    this.spans.push([key, at]);
    if (variable)
      run.calls.forEach((call, i) =>
        this.members.set(call.result, { variable, family: run.family, spellings: run.spellings[i]! }),
      );
    this.section(this.lines.quote(at.line), [...hoisted, ...loop]);
    return true;
  }

  /**
   * `for (const p of [..]) record[p] = member` (nested loops for a grid; a bare loop without a record, for claims),
   * `member` written by `write` with each hole of its template as the loop's index, a record entry or a template
   * string, and values without holes as `shared` names them.
   */
  private familyLoop(
    shape: FamilyShape,
    variable: string | undefined,
    memberType: string,
    shared: Substitute,
    write: (substitute: Substitute) => ts.Expression,
  ): (string | StatementStructures)[] {
    const f = ts.factory;
    // Block-scoped: a loop's own index may reuse a name other loops use, but not a declaration's.
    const indices = shape.indices.map((name) =>
      this.used.has(name) && !this.loopIndices.has(name) ? this.allocate(name) : name,
    );
    for (const index of indices) this.loopIndices.add(index);
    const substitute: Substitute = (value, field) => {
      if (isHole(value)) {
        if (value.hole === 'index') return f.createIdentifier(indices[value.index]!);
        if (value.hole === 'member') {
          const member = this.members.get(value.handles[0])!;
          const parts = value.key.map((part) =>
            'index' in part ? f.createIdentifier(indices[part.index]!) : part.fixed,
          );
          return f.createElementAccessExpression(f.createIdentifier(member.variable), recordKey(parts));
        }
        return templateOf(
          value.segments.map((part) => (typeof part === 'string' ? part : f.createIdentifier(indices[part.index]!))),
        );
      }
      // A value that varies with the indices is written in place, not hoisted as one shared constant; a recipe
      // as `recipe({ .. })` with only what differs from the runtime's defaults.
      if (!containsHole(value)) return shared(value, field);
      if (field === 'recipe' && value !== null && typeof value === 'object') return recipeCall(value, substitute);
      return undefined;
    };
    const member = write(substitute);
    const target = variable
      ? f.createElementAccessExpression(
          f.createIdentifier(variable),
          recordKey(indices.map((i) => f.createIdentifier(i))),
        )
      : undefined;
    const body = printExpression(target ? f.createAssignment(target, member) : member);
    const loops = indices.map((index, k) => `for (const ${index} of ${literal(shape.axes[k])})`).join(' ');
    return [
      ...(variable ? [constStatement(variable, '{}', `Record<string, ${memberType}>`)] : []),
      `${loops} ${body};`,
    ];
  }

  private readonly isHandle = (value: unknown): boolean => this.variables.has(value) || this.members.has(value);

  /** Handles become their variables; model specs, recipes and shifts become constants named as in the study. */
  private substitute(owner: string, hoisted: StatementStructures[]): Substitute {
    return (value, key) => {
      const handle = this.handleExpression(value);
      if (handle) return handle;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      if (key === 'model' || key === 'classifier')
        return this.declaredConstant(this.kinds.model, value, `${owner}_${key}`, hoisted);
      if (key === 'recipe') return this.declaredConstant(this.kinds.recipe, value, `${owner}_recipe`, hoisted);
      if (key === 'shift') return this.declaredConstant(this.kinds.shift, value, `${owner}_shift`, hoisted);
      return undefined;
    };
  }

  /** A value of a declaration kind as a constant, named as the declaration it is (`net`), or `name` if none is. */
  private declaredConstant<T extends Declaration>(
    kind: DeclarationKind<T>,
    value: object,
    name: string,
    hoisted: StatementStructures[],
  ): ts.Expression {
    const content = kind.contentOf(value);
    const existing = this.byContent.get(content);
    if (existing) return entryExpression(existing);
    const declared = kind.declarationOf(value, content);
    if (declared) this.familyRecord(declared, kind);
    return this.declarationConstant(
      content,
      declared ? { name: declared.name, line: declared.span.line } : { name },
      printExpression(kind.write(value, this.handleSubstitute)),
      kind.type,
      hoisted,
    );
  }

  /**
   * When `declared` is a member of a family (`net[8]` of `model net[w in [8, 16]]`): the whole family as one
   * record built in a loop, in a section quoting its line, each member's content then naming its record entry
   * (`net[8]`). Nothing when the members differ in a way a loop cannot write; they are then constants of their own.
   */
  private familyRecord<T extends Declaration>(declared: T, kind: DeclarationKind<T>): void {
    const place = placeOf(declared);
    // Tried once: a family written as a record has its members' contents in byContent, one that cannot be stays so.
    if (this.familiesTried.has(place)) return;
    this.familiesTried.add(place);
    const members = kind.familyOf(declared);
    const shape = familyShape(
      members.map((member) => member.name),
      this.indexNames.get(place),
    );
    const values = members.map(kind.valueOf);
    const template = shape && unify(shape, values, (handle) => this.members.get(handle), this.isHandle);
    if (!shape || !template) return;
    const variable = this.allocate(shape.family);
    this.types.add(kind.type);
    const loop = this.familyLoop(shape, variable, kind.type, this.handleSubstitute, (substitute) =>
      kind.write(template, substitute),
    );
    values.forEach((value, i) => {
      const content = kind.contentOf(value);
      if (!this.byContent.has(content)) this.byContent.set(content, { variable, spellings: shape.spellings[i] });
    });
    this.section(this.lines.quote(declared.span.line), loop);
  }

  /** Handles as the script names them (a shift's sides), nothing else. */
  private readonly handleSubstitute: Substitute = (value) => this.handleExpression(value);

  /** A handle as the script names it: its variable, or its family's record entry (`reference[0.5]`). */
  private handleExpression(value: unknown): ts.Expression | undefined {
    const known = this.variables.get(value);
    if (known) return ts.factory.createIdentifier(known);
    const member = this.members.get(value);
    return member ? entryExpression(member) : undefined;
  }

  /**
   * One constant per content. A study declaration (model, recipe, shift) gets its own section quoting its
   * line; other values go with the section that uses them.
   */
  private declarationConstant(
    content: string,
    naming: { name: string; line?: number },
    code: string,
    type: string,
    hoisted: StatementStructures[],
  ): ts.Expression {
    const existing = this.byContent.get(content);
    if (existing) return entryExpression(existing);
    const statements: StatementStructures[] = [];
    const variable = this.constant(naming.name, code, type, naming.line === undefined ? hoisted : statements);
    if (naming.line !== undefined) this.section(this.lines.quote(naming.line), statements);
    this.byContent.set(content, { variable });
    return ts.factory.createIdentifier(variable);
  }

  private constant(studyName: string, code: string, type: string, target: StatementStructures[]): string {
    const name = this.allocate(studyName);
    this.types.add(type.replace('[]', ''));
    target.push(constStatement(name, code, type));
    return name;
  }

  /** Statements under a blank line and a comment. */
  private section(comment: string[], statements: (string | StatementStructures | ListStatement)[]): void {
    if (statements.length) this.sections.push({ comment, statements });
  }

  private footer(): void {
    this.section(
      ['The jobs and content hashes `shiftlab run` executes for this study.'],
      [{ ...constStatement('plan', 'study.plan()'), isExported: true }],
    );
    this.section(
      ['Run when executed directly, with the defaults of `shiftlab run`; exit code 1 when an expectation fails.'],
      [
        [
          'if (isMain()) {',
          "const { values: options } = parseArgs({ options: { backend: { type: 'string' }, workers: { type: 'string' }, cache: { type: 'string' }, out: { type: 'string' } } });",
          'const interruption = interruptOnSignals();',
          'const result = await runStudy(plan, {',
          'backend: parseBackendChoice(options.backend ?? process.env.SHIFTLAB_BACKEND ?? DEFAULT_BACKEND),',
          'workers: parseWorkerCount(options.workers ?? process.env.SHIFTLAB_WORKERS),',
          'cacheDir: resolve(options.cache ?? process.env.SHIFTLAB_CACHE ?? DEFAULT_CACHE_DIR),',
          'outDir: options.out ?? process.env.SHIFTLAB_OUT ?? defaultOutDir(plan),',
          'signal: interruption.signal,',
          'meta: { title: study.info.title ?? undefined, file: study.info.file, source: study.info.source },',
          '});',
          'interruption.dispose();',
          'process.stdout.write(describeResultPaths(result.paths));',
          'process.stderr.write(describeRunFailures(result, study.info.file));',
          'process.exitCode = runExitCode(result);',
          '}',
        ].join('\n'),
      ],
    );
    this.section(
      [],
      [
        {
          kind: StructureKind.Function,
          name: 'isMain',
          returnType: 'boolean',
          docs: ['True when this file is the program being run (not imported).'],
          statements: [
            'return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;',
          ],
        },
      ],
    );
    this.section(
      [],
      [
        {
          statement: {
            kind: StructureKind.Function,
            name: 'studySource',
            returnType: 'string',
            docs: [`${this.file} as written (results record it).`],
            statements: [`return ${LIST_MARK}.join('\\n');`],
          },
          list: 'array',
          items: this.source.split('\n').map(literal),
        },
      ],
    );
  }

  // ---------------------------------------------------------------- names

  /** A fresh identifier for a study name (`broad.data` → `broad_data`; reserved or taken names get `_`). */
  private allocate(studyName: string): string {
    let name = studyName.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!/^[A-Za-z_$]/.test(name)) name = `_${name}`;
    while (this.used.has(name)) name = `${name}_`;
    this.used.add(name);
    return name;
  }
}

const literal = (value: unknown): string => printExpression(toExpression(value));

/** `recipe({ .. })` with only what a recipe sets apart from the runtime's defaults; `recipe()` fills in the rest. */
function recipeCall(value: object, substitute: Substitute): ts.Expression {
  const changed = Object.fromEntries(
    Object.entries(value).filter(([field, item]) => DEFAULT_RECIPE[field as keyof RecipeSpec] !== item),
  );
  return ts.factory.createCallExpression(ts.factory.createIdentifier('recipe'), undefined, [
    toExpression(changed, substitute),
  ]);
}

/** A study declaration of a kind the script writes as constants: model specs, recipes, shifts. */
interface Declaration {
  name: string;
  span: Span;
}

interface DeclarationKindSpec<T extends Declaration> {
  type: 'ModelSpec' | 'RecipeSpec' | 'ShiftRef';
  declarations: readonly T[];
  /** The value the planner passes to the builder for the declaration. */
  valueOf: (declaration: T) => unknown;
  /** What makes two values one constant. */
  contentOf: (value: unknown) => string;
  /** A value, or a family's template with its holes substituted, as code. */
  write: (value: unknown, substitute: Substitute) => ts.Expression;
  /** The declaration's name a value carries, to find its declaration by (by its content when none). */
  nameOf?: (value: unknown) => string;
}

interface DeclarationKind<T extends Declaration> extends DeclarationKindSpec<T> {
  /** The declaration `value` (whose content is `content`) is, if any. */
  declarationOf: (value: unknown, content: string) => T | undefined;
  /** The members of `declared`'s family: the declarations at its place (itself alone if it is no member). */
  familyOf: (declared: T) => readonly T[];
}

/** A kind whose declarations are indexed on the first lookup (by name or content, and by place). */
function declarationKind<T extends Declaration>(spec: DeclarationKindSpec<T>): DeclarationKind<T> {
  const { nameOf } = spec;
  let byKey: Map<string, T> | undefined;
  let byPlace: Map<string, T[]> | undefined;
  return {
    ...spec,
    declarationOf: (value, content) => {
      if (!byKey) {
        byKey = new Map();
        for (const declaration of spec.declarations) {
          const key = nameOf ? declaration.name : spec.contentOf(spec.valueOf(declaration));
          // The first declaration with the key, as a search in order finds it.
          if (!byKey.has(key)) byKey.set(key, declaration);
        }
      }
      return byKey.get(nameOf ? nameOf(value) : content);
    },
    familyOf: (declared) => {
      if (!byPlace) {
        byPlace = new Map();
        for (const declaration of spec.declarations) {
          const place = placeOf(declaration);
          const members = byPlace.get(place);
          if (members) members.push(declaration);
          else byPlace.set(place, [declaration]);
        }
      }
      return byPlace.get(placeOf(declared))!;
    },
  };
}

/** Where a declaration is written (`line:column`): a family's members share it. */
const placeOf = ({ span }: Declaration): string => `${span.line}:${span.column}`;

/** A variable, or the entry of a family's record (`net[8]`, `g['0.5, 1']`). */
interface RecordEntry {
  variable: string;
  spellings?: string[];
}

function entryExpression({ variable, spellings }: RecordEntry): ts.Expression {
  const target = ts.factory.createIdentifier(variable);
  return spellings ? ts.factory.createElementAccessExpression(target, recordKey(spellings)) : target;
}

/**
 * The key of a family's record: one index reads as its value (`ft[p]`, `ft[0.5]`), several as their spellings
 * joined as in member names (`g[`${p}, ${s}`]`, `g['0.5, 1']`). Text parts are index spellings.
 */
function recordKey(parts: readonly (string | ts.Expression)[]): ts.Expression {
  const [only] = parts;
  if (parts.length === 1 && typeof only !== 'string') return only!;
  if (parts.length === 1) return toExpression(loopValue(only as string));
  return templateOf(parts.flatMap((part, k) => (k ? [', ', part] : [part])));
}

/** Text and expressions as one template literal (`a${p}, ${s}b`), or a plain string when there is no expression. */
function templateOf(segments: readonly (string | ts.Expression)[]): ts.Expression {
  const f = ts.factory;
  const texts: string[] = [''];
  const expressions: ts.Expression[] = [];
  for (const segment of segments) {
    if (typeof segment === 'string') texts[texts.length - 1] += segment;
    else {
      expressions.push(segment);
      texts.push('');
    }
  }
  if (!expressions.length) return f.createStringLiteral(texts[0]!);
  return f.createTemplateExpression(
    f.createTemplateHead(texts[0]!),
    expressions.map((expression, k) =>
      f.createTemplateSpan(
        expression,
        k === expressions.length - 1 ? f.createTemplateTail(texts[k + 1]!) : f.createTemplateMiddle(texts[k + 1]!),
      ),
    ),
  );
}

function constStatement(name: string, initializer: string, type?: string): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer, type }],
  };
}
