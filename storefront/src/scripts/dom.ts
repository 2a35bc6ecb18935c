import { interpolate } from '../lib/interpolate.ts';

/** The few DOM helpers the islands share; no framework, so the islands stay a few kilobytes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | number | boolean> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/** Fills `{name}` placeholders of a message the page handed to the island. */
export const fill = (template: string, values: Record<string, string | number>) => interpolate(template, values, '');
