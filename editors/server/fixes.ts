// Quick fixes from the checker's hints: a did-you-mean name replaces the misspelt one, a missing required
// attribute is inserted into its block, and a contradicted shift kind becomes the inferred one.

import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { Diagnostic } from '../../compiler/diagnostics/index.ts';
import type { Application } from '../../compiler/check/sites.ts';
import { Diagnostics } from '../../compiler/diagnostics/index.ts';
import { blockOf, type Analysis } from './analysis.ts';
import { toLspDiagnostic, toRange } from './convert.ts';
import { acceptedKinds, enumValues, type AttributeSpec } from './schema.ts';
import { LineIndex } from '../../grammar/span.ts';

export function quickFixes(analysis: Analysis, uri: string, diagnostic: Diagnostic): CodeAction[] {
  const edit = fixFor(analysis, diagnostic);
  if (!edit) return [];
  return [
    {
      title: edit.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLspDiagnostic(diagnostic, uri)],
      isPreferred: true,
      edit: { changes: { [uri]: [edit.edit] } },
    },
  ];
}

function fixFor(analysis: Analysis, diagnostic: Diagnostic): { title: string; edit: TextEdit } | undefined {
  const suggestion = /^did you mean '([^']+)'\?$/.exec(diagnostic.hint ?? '')?.[1];
  if (suggestion !== undefined)
    return { title: `Change to '${suggestion}'`, edit: { range: toRange(diagnostic.span), newText: suggestion } };
  if (diagnostic.code === Diagnostics.shiftKindContradicted.code) {
    const inferred = /declare it (\w+)$/.exec(diagnostic.hint ?? '')?.[1];
    if (inferred)
      return { title: `Declare the shift ${inferred}`, edit: { range: toRange(diagnostic.span), newText: inferred } };
  }
  if (diagnostic.code === Diagnostics.missingAttribute.code) {
    const name = /^add `(\w+) \.\.\.`/.exec(diagnostic.hint ?? '')?.[1];
    const application =
      name && analysis.index?.applications.find((a) => a.anchor.start === diagnostic.span.start && a.table[name]);
    if (name && application)
      return { title: `Add '${name}'`, edit: insertAttribute(analysis, application, name, application.table[name]!) };
  }
  return undefined;
}

/** `name value`, the value a guess the user then edits: a declared name of an accepted kind, an enum's first value, … */
function attributeText(analysis: Analysis, name: string, spec: AttributeSpec): string {
  const kinds = acceptedKinds(spec.type);
  const declared = analysis.bound?.declarations.find((d) => kinds.includes(d.kind))?.name;
  const schema = spec.type;
  let value = '';
  if (declared !== undefined)
    value = schema.type === 'refList' || schema.type === 'targets' ? `[${declared}]` : declared;
  else if (enumValues(schema).length) value = enumValues(schema)[0]!;
  else if (schema.type === 'string') value = '""';
  else if (schema.type === 'number') value = String(schema.min !== undefined && !schema.exclusiveMin ? schema.min : 1);
  return value ? `${name} ${value}` : name;
}

function insertAttribute(analysis: Analysis, application: Application, name: string, spec: AttributeSpec): TextEdit {
  const source = analysis.document.source;
  const lines = new LineIndex(source, analysis.file);
  const text = attributeText(analysis, name, spec);
  const block = blockOf(analysis, application);
  if (!block) {
    // A builtin without a block: `gaussian` → `gaussian { dim 1 }`.
    const at = lines.span(application.anchor.end, application.anchor.end);
    return { range: toRange(at), newText: ` { ${text} }` };
  }
  const close = source[block.span.end - 1] === '}' ? block.span.end - 1 : block.span.end;
  const lineStart = source.lastIndexOf('\n', close - 1) + 1;
  if (block.span.line !== block.span.endLine && /^[ \t]*$/.test(source.slice(lineStart, close))) {
    // A multi-line block: a new line above the closing brace, indented like the attributes.
    const last = block.attributes.at(-1);
    const indent = last ? ' '.repeat(last.span.column - 1) : `${source.slice(lineStart, close)}  `;
    return { range: toRange(lines.span(lineStart, lineStart)), newText: `${indent}${text}\n` };
  }
  const last = block.attributes.at(-1);
  if (last) return { range: toRange(lines.span(last.span.end, last.span.end)), newText: `, ${text}` };
  return { range: toRange(block.span), newText: `{ ${text} }` };
}
