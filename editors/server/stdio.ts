// `shiftlab lsp`: the language server on stdin/stdout. Reached through cli/commands/lsp.ts from the sources, and
// through its own built entry (main.ts → dist/lsp.js) from bin/, which skips loading every other command.
import { startServer } from './server.ts';

export function serveStdio(): void {
  // stdout carries the protocol: anything else printed goes to stderr.
  console.log = console.error;
  // The open stdin keeps the process alive; the connection exits it on the client's `exit` or when stdin closes.
  startServer(process.stdin, process.stdout);
}
