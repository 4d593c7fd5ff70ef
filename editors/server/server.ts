// The shiftlab language server: LSP over any stream pair (stdio for `shiftlab lsp`). Documents are analysed
// once per version (analysis.ts); every request handler is wrapped so a crash answers that request with an
// error and the server keeps serving.

import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from './analysis.ts';
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
  semanticTokensLegend,
} from './navigation.ts';

/** Wait this long after the last change before checking; a big file waits longer so typing is not held up. */
export function debounceMs(length: number): number {
  return 150 + Math.min(1000, Math.floor(length / 1000));
}

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  let roots: string[] = [];

  const fileOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

  function analysisOf(uri: string): Analysis {
    const document = documents.get(uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${uri}`);
    const known = analyses.get(uri);
    if (known?.version === document.version) return known;
    const analysis = analyze(document.getText(), fileOf(uri), document.version);
    analyses.set(uri, analysis);
    return analysis;
  }

  function publish(uri: string) {
    timers.delete(uri);
    if (!documents.get(uri)) return;
    guard('diagnostics', () => {
      const analysis = analysisOf(uri);
      void connection.sendDiagnostics({
        uri,
        version: analysis.version,
        diagnostics: analysis.diagnostics.map((d) => toLspDiagnostic(d, uri)),
      });
    });
  }

  function schedule(uri: string, delay: number) {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => publish(uri), delay),
    );
  }

  /** Runs a handler; a throw other than a deliberate ResponseError is logged and answered as an internal error. */
  function guard<R>(name: string, run: () => R): R {
    try {
      return run();
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      connection.console.error(`${name} failed: ${error instanceof Error ? error.stack : message}`);
      throw new ResponseError(ErrorCodes.InternalError, `shiftlab ${name} failed: ${message}`);
    }
  }

  const at = (uri: string, position: { line: number; character: number }) => {
    const document = documents.get(uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${uri}`);
    return { analysis: analysisOf(uri), offset: document.offsetAt(position) };
  };

  connection.onInitialize((params): InitializeResult => {
    roots = (params.workspaceFolders ?? []).map((f) => fileOf(f.uri));
    if (!roots.length && params.rootUri) roots = [fileOf(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '|', '=', ' ', '{', ',', ':', '['] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      },
      serverInfo: { name: 'shiftlab' },
    };
  });

  documents.onDidOpen((event) => schedule(event.document.uri, 0));
  documents.onDidChangeContent((event) => schedule(event.document.uri, debounceMs(event.document.getText().length)));
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    timers.delete(event.document.uri);
    analyses.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover((p) =>
    guard('hover', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return hover(analysis, offset, { roots });
    }),
  );
  connection.onCompletion((p) =>
    guard('completion', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return complete(analysis, offset);
    }),
  );
  connection.onDefinition((p) =>
    guard('definition', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return definition(analysis, p.textDocument.uri, offset);
    }),
  );
  connection.onReferences((p) =>
    guard('references', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return references(analysis, p.textDocument.uri, offset, p.context.includeDeclaration);
    }),
  );
  connection.onPrepareRename((p) =>
    guard('prepareRename', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return prepareRename(analysis, offset);
    }),
  );
  connection.onRenameRequest((p) =>
    guard('rename', () => {
      const { analysis, offset } = at(p.textDocument.uri, p.position);
      return rename(analysis, p.textDocument.uri, offset, p.newName);
    }),
  );
  connection.onDocumentSymbol((p) => guard('documentSymbol', () => documentSymbols(analysisOf(p.textDocument.uri))));
  connection.onFoldingRanges((p) => guard('foldingRange', () => foldingRanges(analysisOf(p.textDocument.uri))));
  connection.onDocumentFormatting((p) => guard('formatting', () => formatDocument(analysisOf(p.textDocument.uri))));
  connection.languages.semanticTokens.on((p) =>
    guard('semanticTokens', () => semanticTokens(analysisOf(p.textDocument.uri))),
  );
  connection.onCodeAction((p) =>
    guard('codeAction', () => {
      const uri = p.textDocument.uri;
      const analysis = analysisOf(uri);
      const document = documents.get(uri)!;
      const [from, to] = [document.offsetAt(p.range.start), document.offsetAt(p.range.end)];
      return analysis.diagnostics
        .filter((d) => d.span.start <= to && from <= d.span.end)
        .flatMap((d) => quickFixes(analysis, uri, d));
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
