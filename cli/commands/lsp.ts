// `shiftlab lsp`: the language server (editors/server) over stdin/stdout, for editors that start it.
import type { Command } from 'commander';

export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description(
      'start the language server on stdin/stdout (diagnostics, hover, completion, navigation, formatting) for editors',
    )
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport; accepted because clients pass it)')
    .addHelpText(
      'after',
      '\nExit codes: 0 when the client shuts the server down; it keeps running while stdin is open.\n',
    )
    .action(async () => {
      // stdout carries the protocol: anything else printed goes to stderr.
      console.log = console.error;
      const { startServer } = await import('../../editors/server/server.ts');
      // The open stdin keeps the process alive; the connection exits it on the client's `exit` or when stdin closes.
      startServer(process.stdin, process.stdout);
    });
}
