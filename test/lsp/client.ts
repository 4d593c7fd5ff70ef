// A real LSP client over stdio: spawns `shiftlab lsp --stdio` (the binary users run) and talks JSON-RPC to it
// through vscode-jsonrpc, the library VS Code's own client is built on.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  type CancellationToken,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { repoRoot } from '../helpers/cli.ts';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: number;
    code: string;
    codeDescription?: { href: string };
    message: string;
    relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
  }[];
}

export class Client {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly published = new Map<string, PublishedDiagnostics[]>();
  private readonly waiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['bin/shiftlab.mjs', 'lsp', '--stdio'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.set(params.uri, [...(this.published.get(params.uri) ?? []), params]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.listen();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(repoRoot).href,
      workspaceFolders: [{ uri: pathToFileURL(repoRoot).href, name: 'shiftlab' }],
      capabilities: {},
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  /** Opens a file (or given text under a file's URI) and returns its URI. */
  async open(path: string, text = readFileSync(path, 'utf8'), version = 1): Promise<string> {
    const uri = pathToFileURL(path).href;
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shiftlab', version, text },
    });
    return uri;
  }

  async change(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** The diagnostics published for a document version (waits for them). */
  async diagnostics(uri: string, version = 1): Promise<PublishedDiagnostics> {
    for (;;) {
      const found = this.published.get(uri)?.find((p) => p.version === version);
      if (found) return found;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** Every diagnostics notification received for a document so far, in order. */
  publishedFor(uri: string): PublishedDiagnostics[] {
    return this.published.get(uri) ?? [];
  }

  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    return (
      token ? this.connection.sendRequest(method, params, token) : this.connection.sendRequest(method, params)
    ) as Promise<R>;
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((done) => this.child.on('exit', (code) => done(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

/** An LSP position (0-based) of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' not in text`);
  const offset = index + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
