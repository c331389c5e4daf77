// What the administration pages take from Preact: `html` (js/html.js, shared with the operator's
// newer views), the hooks, and mounting into the router's view element.
import { html, render } from '../html.js';

export { useEffect, useMemo, useState } from 'preact/hooks';
export { html };

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
