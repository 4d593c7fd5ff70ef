// A diagnostic from a family's text names the member it is about (`ft[0.7]: ...`); one the same for every member
// of the family is reported once, about the family's text. Runs on the checker's diagnostics after expand.ts.

import type { Span } from '../../grammar/ast.ts';
import type { Diagnostic } from '../diagnostics/index.ts';

export function nameMembers(diagnostics: readonly Diagnostic[], members: ReadonlyMap<string, string[]>): Diagnostic[] {
  if (members.size === 0) return [...diagnostics];
  const groups = new Map<string, { diagnostic: Diagnostic; members: string[] }>();
  const out: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const member = diagnostic.span.member;
    if (member === undefined) {
      out.push(diagnostic);
      continue;
    }
    const key = [
      diagnostic.code,
      diagnostic.message,
      diagnostic.span.start,
      diagnostic.span.end,
      members.get(member)?.[0],
    ].join('\u0000');
    const group = groups.get(key);
    if (group) group.members.push(member);
    else groups.set(key, { diagnostic, members: [member] });
  }
  for (const { diagnostic, members: named } of groups.values()) {
    const family = members.get(named[0]!) ?? named;
    const every = family.every((member) => named.includes(member));
    const says = named.length === 1 && diagnostic.message.includes(named[0]!);
    const message = every || says ? diagnostic.message : `${named.join(', ')}: ${diagnostic.message}`;
    const clean: Diagnostic = { ...diagnostic, message, span: untag(diagnostic.span) };
    if (diagnostic.related)
      clean.related = diagnostic.related.map((related) => ({ ...related, span: untag(related.span) }));
    out.push(clean);
  }
  return out;
}

function untag(span: Span): Span {
  const { member: _member, ...rest } = span;
  return rest;
}
