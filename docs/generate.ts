// Regenerates the generated parts of the reference docs: the `## Attributes and defaults` section of
// docs/language.md (from compiler/check/builtins.ts) and the usage blocks of docs/cli.md (from each
// command's --help). Usage: node --import tsx docs/generate.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ATTRIBUTES_HEADING, renderAttributesSection } from './attributes.ts';
import { commandHelp, syncCliDoc } from './cli-help.ts';
import { replaceSectionBody } from './markdown.ts';

export const REGENERATE = 'node --import tsx docs/generate.ts';

const languageDoc = new URL('./language.md', import.meta.url);
const cliDoc = new URL('./cli.md', import.meta.url);

function update(file: URL, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after !== before) {
    writeFileSync(file, after);
    process.stdout.write(`updated ${file.pathname}\n`);
  }
}

// Tests import REGENERATE from here; only running the file writes.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  update(languageDoc, (text) => replaceSectionBody(text, ATTRIBUTES_HEADING, renderAttributesSection()));
  update(cliDoc, (text) => syncCliDoc(text, commandHelp()));
}
