// The binder: one symbol per declared name (first declaration wins; later ones are duplicates), the
// study-level attributes, and the expectations. Rules resolve names through `symbols`.

import type { Attribute, Declaration, Document, ExpectDeclaration, Span, Study } from '../../grammar/ast.ts';
import { declarationKeywords } from '../../grammar/ast.ts';
import type { SymbolKind } from './builtins.ts';

export type NamedDeclaration = Exclude<Declaration, ExpectDeclaration>;

export interface Binding {
  name: string;
  kind: SymbolKind;
  declaration: NamedDeclaration;
  nameSpan: Span;
}

export interface BoundStudy {
  document: Document;
  study: Study;
  symbols: Map<string, Binding>;
  /** Every declaration with a name, in file order (duplicates included). */
  declarations: Binding[];
  duplicates: { original: Binding; duplicate: Binding }[];
  studyAttributes: Attribute[];
  expects: ExpectDeclaration[];
}

export function bind(document: Document, study: Study): BoundStudy {
  const bound: BoundStudy = {
    document,
    study,
    symbols: new Map(),
    declarations: [],
    duplicates: [],
    studyAttributes: [],
    expects: [],
  };
  for (const item of study.items) {
    if (item.kind === 'Attribute') bound.studyAttributes.push(item);
    else if (item.kind === 'Expect') bound.expects.push(item);
    else {
      const binding: Binding = {
        name: item.name.name,
        kind: declarationKeywords[item.kind],
        declaration: item,
        nameSpan: item.name.span,
      };
      bound.declarations.push(binding);
      const original = bound.symbols.get(binding.name);
      if (original) bound.duplicates.push({ original, duplicate: binding });
      else bound.symbols.set(binding.name, binding);
    }
  }
  return bound;
}

/** "a distribution", "an arm". */
export function withArticle(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
