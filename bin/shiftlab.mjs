#!/usr/bin/env node
// Runs the JavaScript built from cli/ (scripts/build.mjs, run by `npm ci` through `prepare`), so commands start
// without transpiling TypeScript. From the sources instead: node --import tsx cli/main.ts
import { existsSync } from 'node:fs';

// `shiftlab lsp` has its own entry (dist/lsp.js): editors start it often and wait for it, and it loads no other command.
const [command, ...rest] = process.argv.slice(2);
const lsp = command === 'lsp' && rest.every((arg) => arg === '--stdio');
const built = new URL(lsp ? '../dist/lsp.js' : '../dist/cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('shiftlab: the built CLI (dist/cli.js) is missing; run `npm run build` (npm ci runs it)\n');
  process.exit(70);
}
await import(built.href);
