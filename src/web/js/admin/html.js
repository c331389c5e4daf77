// Preact + htm for the administration pages: components instead of hand-built DOM. Both are
// served from node_modules (/assets/vendor/, named by the page's import map): no build step.
import htm from 'htm';
import { h, render } from 'preact';

export { useEffect, useMemo, useState } from 'preact/hooks';

/** Tagged templates → Preact elements; values become text or properties, never parsed HTML. */
export const html = htm.bind(h);

/**
 * Renders a component into the router's view element and returns the cleanup the router calls
 * when the person navigates away.
 * @param {HTMLElement} el
 * @param {any} vnode
 */
export function mount(el, vnode) {
  el.replaceChildren();
  render(vnode, el);
  return () => render(null, el);
}
