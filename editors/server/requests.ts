// Every document request answered from one analysis. The same table runs on the main thread (small documents)
// and in the analysis worker (big ones, worker.ts), so both answer alike; `answer` is the crash guard both use.

import {
  ErrorCodes,
  ResponseError,
  type CodeActionParams,
  type CompletionParams,
  type DefinitionParams,
  type HoverParams,
  type PrepareRenameParams,
  type ReferenceParams,
  type RenameParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from './analysis.ts';
import { fileOf } from './uri.ts';
import { complete } from './completion.ts';
import { toLspDiagnostic } from './convert.ts';
import { quickFixes } from './fixes.ts';
import { formatDocument } from './formatting.ts';
import { hover } from './hover.ts';
import {
  definition,
  documentSymbols,
  foldingRanges,
  prepareRename,
  references,
  rename,
  semanticTokens,
} from './navigation.ts';

export interface RequestContext {
  uri: string;
  document: TextDocument;
  analysis: Analysis;
  /** Workspace folders (where results.json is looked for first). */
  roots: readonly string[];
}

const offset = (c: RequestContext, p: { position: { line: number; character: number } }) =>
  c.document.offsetAt(p.position);

export const requests = {
  /** Not an LSP request: what the server publishes for a version (push diagnostics). */
  diagnostics: (c: RequestContext) => ({
    version: c.analysis.version,
    diagnostics: c.analysis.diagnostics.map((d) => toLspDiagnostic(d, c.uri)),
  }),
  'textDocument/hover': (c: RequestContext, p: HoverParams) => hover(c.analysis, offset(c, p), { roots: c.roots }),
  'textDocument/completion': (c: RequestContext, p: CompletionParams) => complete(c.analysis, offset(c, p)),
  'textDocument/definition': (c: RequestContext, p: DefinitionParams) => definition(c.analysis, c.uri, offset(c, p)),
  'textDocument/references': (c: RequestContext, p: ReferenceParams) =>
    references(c.analysis, c.uri, offset(c, p), p.context.includeDeclaration),
  'textDocument/prepareRename': (c: RequestContext, p: PrepareRenameParams) => prepareRename(c.analysis, offset(c, p)),
  'textDocument/rename': (c: RequestContext, p: RenameParams) => rename(c.analysis, c.uri, offset(c, p), p.newName),
  'textDocument/documentSymbol': (c: RequestContext) => documentSymbols(c.analysis),
  'textDocument/foldingRange': (c: RequestContext) => foldingRanges(c.analysis),
  'textDocument/formatting': (c: RequestContext) => formatDocument(c.analysis),
  'textDocument/semanticTokens/full': (c: RequestContext) => semanticTokens(c.analysis),
  'textDocument/codeAction': (c: RequestContext, p: CodeActionParams) => {
    const [from, to] = [c.document.offsetAt(p.range.start), c.document.offsetAt(p.range.end)];
    return c.analysis.diagnostics
      .filter((d) => d.span.start <= to && from <= d.span.end)
      .flatMap((d) => quickFixes(c.analysis, c.uri, d));
  },
};

export type RequestMethod = keyof typeof requests;

/** What crosses the thread boundary: a result, or an error as code and message. */
export type Answer = { result: unknown } | { error: { code: number; message: string }; log?: string };

/** One analysis per document version, made on first use. */
export class Analyses {
  private readonly known = new Map<string, Analysis>();

  of(document: TextDocument): Analysis {
    const known = this.known.get(document.uri);
    if (known?.version === document.version) return known;
    const analysis = analyze(document.getText(), fileOf(document.uri), document.version);
    this.known.set(document.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.known.delete(uri);
  }
}

/**
 * Runs a request; a throw other than a deliberate ResponseError becomes an internal error (with the stack for
 * the log), so a crash in one request answers that request and the server keeps serving.
 */
export function answer(
  analyses: Analyses,
  document: TextDocument,
  method: RequestMethod,
  params: unknown,
  roots: readonly string[],
): Answer {
  try {
    const context = { uri: document.uri, document, analysis: analyses.of(document), roots };
    return { result: (requests[method] as (c: RequestContext, p: unknown) => unknown)(context, params) };
  } catch (error) {
    if (error instanceof ResponseError) return { error: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    const name = method.replace('textDocument/', '');
    return {
      error: { code: ErrorCodes.InternalError, message: `shiftlab ${name} failed: ${message}` },
      log: `${name} failed: ${error instanceof Error ? error.stack : message}`,
    };
  }
}
