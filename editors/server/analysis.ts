// One analysis per document version: the recovered parse, the binder's symbols, the checker's index of
// every schema application, the checker's diagnostics, and the name occurrences the navigation features
// share. Everything is computed from the project's own parser and checker; nothing here re-reads the text.

import type { Attribute, Block, Document, Identifier, Node, ParseProblem, Span } from '../../grammar/ast.ts';
import { parse } from '../../grammar/index.ts';
import { children, referencesIn } from '../../grammar/visitor.ts';
import { bind, type Binding, type BoundStudy } from '../../compiler/check/binder.ts';
import { checkDocument } from '../../compiler/check/index.ts';
import { indexStudy, type Application, type BuiltinUse, type StudyIndex } from '../../compiler/check/sites.ts';
import type { TypedStudy } from '../../compiler/check/typed.ts';
import { fromParseProblem, sortDiagnostics, type Diagnostic } from '../../compiler/diagnostics/index.ts';
import { expandFamilies, type Expansion } from '../../compiler/families/index.ts';
import { familiesOf, noFamilies, type Families } from './families.ts';

/** One identifier that names a declared symbol: the declaration itself, or a use. */
export interface Occurrence {
  identifier: Identifier;
  binding: Binding;
  declaration: boolean;
}

export interface Analysis {
  file: string;
  version: number;
  document: Document;
  problems: ParseProblem[];
  diagnostics: Diagnostic[];
  /** The typed study when the study has no errors (hover shows its resolved values). */
  typed: TypedStudy | null;
  /** Null when the file holds no recognisable study. */
  bound: BoundStudy | null;
  index: StudyIndex | null;
  /** Sorted by offset. */
  occurrences: Occurrence[];
  builtins: BuiltinUse[];
  /** The schema application of each block (and of the study's own attributes), keyed by its attribute list. */
  applications: Map<Attribute[], Application>;
  /** Declaration families: their index values, member references and index names. */
  families: Families;
}

export function analyze(source: string, file: string, version: number): Analysis {
  const { document, problems } = parse(source, file);
  let diagnostics: Diagnostic[];
  let typed: TypedStudy | null = null;
  // As `shiftlab check`: with syntax errors, report those alone (name rules on a partial tree mostly echo them).
  if (problems.length) diagnostics = sortDiagnostics(problems.map(fromParseProblem));
  else ({ diagnostics, study: typed } = checkDocument(document));
  const bound = document.study ? bind(document, document.study) : null;
  const index = bound ? indexStudy(bound) : null;
  const applications = new Map<Attribute[], Application>();
  for (const application of index?.applications ?? []) applications.set(application.attributes, application);
  const symbols = bound ? symbolsOf(bound) : null;
  return {
    file,
    version,
    document,
    problems,
    diagnostics,
    typed,
    bound,
    index,
    occurrences: bound && index ? occurrencesOf(bound, index, symbols!) : [],
    builtins: index?.builtins ?? [],
    applications,
    families: bound ? familiesOf(bound, symbols!.families, expansionOf(document)) : noFamilies,
  };
}

/** The checker's expansion of families (for their index values); a recovered tree may not expand. */
function expansionOf(document: Document): Expansion | null {
  try {
    return expandFamilies(document);
  } catch {
    return null;
  }
}

/**
 * The declaration each name means. A family's members are named `scratch[0.5]`, so a family may share its bare
 * name with a plain declaration (`recipe scratch` and `baseline scratch[p]`): a reference with a member index
 * means the family, one without means the plain declaration. The binder, before expansion, sees one name.
 */
interface Symbols {
  plain: Map<string, Binding>;
  families: Map<string, Binding>;
  lookup(identifier: Identifier): Binding | undefined;
}

function symbolsOf(bound: BoundStudy): Symbols {
  const plain = new Map<string, Binding>();
  const families = new Map<string, Binding>();
  for (const binding of bound.declarations) {
    const table = binding.declaration.indices ? families : plain;
    if (!table.has(binding.name)) table.set(binding.name, binding);
  }
  const lookup = (identifier: Identifier) =>
    identifier.index
      ? (families.get(identifier.name) ?? plain.get(identifier.name))
      : (plain.get(identifier.name) ?? families.get(identifier.name));
  return { plain, families, lookup };
}

function occurrencesOf(bound: BoundStudy, index: StudyIndex, symbols: Symbols): Occurrence[] {
  const occurrences: Occurrence[] = [];
  const seen = new Set<Identifier>();
  const add = (identifier: Identifier, binding: Binding | undefined, declaration: boolean) => {
    if (!binding || seen.has(identifier)) return;
    seen.add(identifier);
    occurrences.push({ identifier, binding, declaration });
  };
  for (const binding of bound.declarations) {
    const table = binding.declaration.indices ? symbols.families : symbols.plain;
    add(binding.declaration.name, table.get(binding.name) === binding ? binding : undefined, true);
  }
  for (const { reference } of index.names) add(reference.path[0]!, symbols.lookup(reference.path[0]!), false);
  // `expect compare.arm.shift` (or `compare.arm.split.part`): the first three segments name declarations.
  const expected: readonly (readonly Binding['kind'][])[] = [['compare'], ['arm'], ['shift', 'split']];
  for (const expect of bound.expects) {
    for (const reference of referencesIn(expect.expression)) {
      reference.path.slice(0, 3).forEach((identifier, i) => {
        const binding = symbols.lookup(identifier);
        if (binding && expected[i]!.includes(binding.kind)) add(identifier, binding, false);
      });
    }
  }
  return occurrences.sort((a, b) => a.identifier.span.start - b.identifier.span.start);
}

/** Offset inside [start, end]: a cursor just after a word still counts as on it. */
export const touches = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

export function occurrenceAt(analysis: Analysis, offset: number): Occurrence | undefined {
  return analysis.occurrences.find((o) => touches(o.identifier.span, offset) && o.identifier.name !== '');
}

export function occurrencesOfBinding(analysis: Analysis, binding: Binding): Occurrence[] {
  return analysis.occurrences.filter((o) => o.binding === binding);
}

export function builtinAt(analysis: Analysis, offset: number): BuiltinUse | undefined {
  return analysis.builtins.find((b) => touches(b.name.span, offset));
}

/** The nodes around an offset, outermost first (the document, the study, a declaration, …). */
export function pathAt(analysis: Analysis, offset: number): Node[] {
  const path: Node[] = [analysis.document];
  let node: Node = analysis.document;
  for (;;) {
    const next: Node | undefined = children(node).find((child) => touches(child.span, offset));
    if (!next) return path;
    path.push(next);
    node = next;
  }
}

/** The innermost block (or the study body) around an offset, with the schema application it is checked against. */
export function enclosingBlock(
  analysis: Analysis,
  offset: number,
): { block: Block | null; application: Application | undefined } {
  const path = pathAt(analysis, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    // Inside `{ }` only: on `recipe fit` before the brace the cursor is in the study body.
    if (node.kind === 'Block' && node.span.start < offset)
      return { block: node, application: analysis.applications.get(node.attributes) };
    if (node.kind === 'Study') {
      const application = analysis.bound ? analysis.applications.get(analysis.bound.studyAttributes) : undefined;
      return { block: null, application };
    }
  }
  return { block: null, application: undefined };
}

/** The block node whose attributes an application checks, for inserting a missing attribute. */
export function blockOf(analysis: Analysis, application: Application): Block | undefined {
  let found: Block | undefined;
  const walk = (node: Node) => {
    if (found) return;
    if (node.kind === 'Block' && node.attributes === application.attributes) found = node;
    else for (const child of children(node)) walk(child);
  };
  walk(analysis.document);
  return found;
}
