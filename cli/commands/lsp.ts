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
      // The built bin starts dist/lsp.js for `lsp` directly (editors/server/main.ts); this path serves the sources.
      const { serveStdio } = await import('../../editors/server/stdio.ts');
      serveStdio();
    });
}
