// The import graph of the repository's TypeScript, read through the TypeScript parser (static imports,
// re-exports, `import type`, dynamic `import()` and `import('x').T` types), never with a regex over the text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './cli.ts';

export interface ImportEdge {
  /** Repo-relative path for a relative specifier (`compiler/diff/types.ts`), else the bare specifier. */
  target: string;
  typeOnly: boolean;
  /** `import('x')`: the module loads when that line runs, not with the importer. */
  dynamic: boolean;
}

/** Every .ts/.mjs file under a repo folder, repo-relative. */
export function sourceFiles(folder: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : walk(path);
      return /\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith('.d.ts') ? [relative(repoRoot, path)] : [];
    });
  return walk(join(repoRoot, folder));
}

export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, dynamic = false) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const name = specifier.text;
    edges.push({
      target: name.startsWith('.') ? relative(repoRoot, resolve(repoRoot, file, '..', name)) : name,
      typeOnly,
      dynamic,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = Boolean(
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly)),
      );
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal as ts.Expression, true);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Strongly connected groups of more than one file (or a file importing itself): the import circles. */
export function importCycles(files: readonly string[]): string[][] {
  const inGraph = new Set(files);
  return cyclesIn(
    new Map(
      files.map((file) => [
        file,
        [
          ...new Set(
            importsOf(file)
              .map((e) => e.target)
              .filter((t) => inGraph.has(t)),
          ),
        ],
      ]),
    ),
  );
}

/** The circles of a graph given as node → the nodes it points to. */
export function cyclesIn(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const files = [...graph.keys()];
  // Tarjan's algorithm.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file)!) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)!.includes(file)) cycles.push(group.sort());
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return cycles;
}
