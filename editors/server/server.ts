// The shiftlab language server: LSP over any stream pair (stdio for `shiftlab lsp`). This thread reads the
// connection and keeps the documents' text; each request is answered by the document's host (host.ts): here
// for a small document, in the analysis worker for a big one, so a 1 MB study being checked holds up nothing
// else. Diagnostics are published only for the latest version: an analysis overtaken by an edit is dropped.

import {
  CodeActionKind,
  createConnection,
  ErrorCodes,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LocalHost, WORKER_FROM_BYTES, WorkerHost, type Host } from './host.ts';
import { semanticTokensLegend } from './legend.ts';
import type { RequestMethod } from './requests.ts';
import { fileOf } from './uri.ts';

/** Wait this long after the last change before checking; a big file waits longer so typing is not held up. */
export function debounceMs(length: number): number {
  return 150 + Math.min(1000, Math.floor(length / 1000));
}

export interface ServerOptions {
  /** Overrides debounceMs for every change (`initializationOptions.debounceMs`; 0 checks on every change). */
  debounceMs?: number;
}

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  let roots: string[] = [];
  let options: ServerOptions = {};
  const local = new LocalHost(() => roots);
  const worker = new WorkerHost(() => roots);
  /** The host that last answered for each document, told to forget it when the document moves or closes. */
  const hosts = new Map<string, Host>();

  function hostOf(document: TextDocument): Host {
    const host = document.getText().length >= WORKER_FROM_BYTES ? worker : local;
    const before = hosts.get(document.uri);
    if (before && before !== host) before.close(document.uri);
    hosts.set(document.uri, host);
    return host;
  }

  /** Answers a request on an open document from its host, turning the host's reply back into LSP. */
  async function request(method: RequestMethod, uri: string, params: unknown, token?: CancellationToken) {
    const document = documents.get(uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${uri}`);
    // Cancelled before it was read (the token then never fires): answered without any work.
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    const reply = await hostOf(document).answer(document, method, params, token);
    if ('dropped' in reply) throw new ResponseError(LSPErrorCodes.RequestCancelled, `request ${reply.dropped}`);
    if ('error' in reply) {
      if (reply.log) connection.console.error(reply.log);
      throw new ResponseError(reply.error.code, reply.error.message);
    }
    return reply.result as never;
  }

  async function publish(uri: string) {
    timers.delete(uri);
    const document = documents.get(uri);
    if (!document) return;
    const reply = await hostOf(document).answer(document, 'diagnostics', {});
    // Overtaken by an edit (or closed) while it was analysed: the newer version publishes instead.
    if ('dropped' in reply || documents.get(uri)?.version !== document.version) return;
    if ('error' in reply) return connection.console.error(reply.log ?? reply.error.message);
    void connection.sendDiagnostics({ uri, ...(reply.result as { version: number; diagnostics: never[] }) });
  }

  function schedule(uri: string, delay: number) {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => void publish(uri), delay),
    );
  }

  connection.onInitialize((params): InitializeResult => {
    roots = (params.workspaceFolders ?? []).map((f) => fileOf(f.uri));
    if (!roots.length && params.rootUri) roots = [fileOf(params.rootUri)];
    const given = (params.initializationOptions ?? {}) as ServerOptions;
    if (typeof given.debounceMs === 'number' && given.debounceMs >= 0) options = { debounceMs: given.debounceMs };
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

  // TextDocuments reports an open as a change too; the open has already been scheduled at once.
  const opening = new Set<string>();
  documents.onDidOpen((event) => {
    opening.add(event.document.uri);
    schedule(event.document.uri, 0);
  });
  documents.onDidChangeContent((event) => {
    if (opening.delete(event.document.uri)) return;
    schedule(event.document.uri, options.debounceMs ?? debounceMs(event.document.getText().length));
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    hosts.get(uri)?.close(uri);
    hosts.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  type Params = { textDocument: { uri: string } };
  const on =
    (method: RequestMethod) =>
    (params: Params, token?: CancellationToken): Promise<never> =>
      request(method, params.textDocument.uri, params, token);
  connection.onHover(on('textDocument/hover'));
  connection.onCompletion(on('textDocument/completion'));
  connection.onDefinition(on('textDocument/definition'));
  connection.onReferences(on('textDocument/references'));
  connection.onPrepareRename(on('textDocument/prepareRename'));
  connection.onRenameRequest(on('textDocument/rename'));
  connection.onDocumentSymbol(on('textDocument/documentSymbol'));
  connection.onFoldingRanges(on('textDocument/foldingRange'));
  connection.onDocumentFormatting(on('textDocument/formatting'));
  connection.languages.semanticTokens.on(on('textDocument/semanticTokens/full'));
  connection.onCodeAction(on('textDocument/codeAction'));

  // Answered `initialize` without them; load the parser and checker now, before the first document arrives.
  connection.onInitialized(() => void local.load());

  documents.listen(connection);
  connection.listen();
  return connection;
}
