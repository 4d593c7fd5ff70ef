// Small read-only lookups over the bound study shared by several rules and the builder.

import type { Attribute, Span } from '../../grammar/ast.ts';
import type { Binding } from './binder.ts';
import type { RuleContext } from './rules/context.ts';
import type { InitRef, TypedDistribution } from './typed.ts';
import type { ReadValue } from './values.ts';

export function attributesOf(binding: Binding): Attribute[] {
  const declaration = binding.declaration;
  if ('body' in declaration) return declaration.body.attributes;
  if (declaration.kind === 'Split') return declaration.value.block?.attributes ?? [];
  return [];
}

export function attributeOf(binding: Binding, name: string): Attribute | undefined {
  return attributesOf(binding).find((a) => a.name.name === name);
}

/** The value read for a declaration's attribute, when it read cleanly. */
export function valueOf(context: Pick<RuleContext, 'index'>, binding: Binding, name: string): ReadValue | undefined {
  const attribute = attributeOf(binding, name);
  return attribute && context.index.readings.get(attribute)?.value;
}

/** The span of an attribute when written, else of the declaration's name. */
export function spanOf(binding: Binding, name: string): Span {
  return attributeOf(binding, name)?.span ?? binding.nameSpan;
}

export function initOf(
  context: Pick<RuleContext, 'index'>,
  binding: Binding,
): { name: string; span: Span } | undefined {
  const attribute = attributeOf(binding, 'init');
  const name = attribute && context.index.readings.get(attribute)?.value;
  return typeof name === 'string' ? { name, span: attribute!.values[0]!.span } : undefined;
}

/** The name of what a group starts from. */
export function initName(init: InitRef): string {
  return init.kind === 'pretrain' ? init.pretrain.name : init.kind === 'group' ? init.group.name : init.model.name;
}

/** The data an init's weights were trained on (null for an arm that only reweights its own init, or a frozen
 *  backbone, trained elsewhere). */
export function trainedOn(init: InitRef): TypedDistribution | null {
  return init.kind === 'pretrain' ? init.pretrain.data : init.kind === 'group' ? init.group.train : null;
}
