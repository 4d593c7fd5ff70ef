#!/usr/bin/env node
// Runs the JavaScript built from cli/ (scripts/build.mjs, run by `npm ci` through `prepare`), so commands start
// without transpiling TypeScript. From the sources instead: node --import tsx cli/main.ts
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('shiftlab: the built CLI (dist/cli.js) is missing; run `npm run build` (npm ci runs it)\n');
  process.exit(70);
}
await import(built.href);
