// Builds DOM nodes from data without ever parsing HTML: every value becomes a text node or an
// attribute, so nothing a device, a person or the API sends can inject markup or script.

/**
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** @param {Element} el @param {unknown[]} children */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** @param {Element} el @param {...unknown} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A link inside the console; `path` is built by us from ids, never taken whole from data. */
export const link = (/** @type {string} */ path, /** @type {Record<string, unknown>} */ props, /** @type {unknown[]} */ ...children) =>
  h('a', { ...props, href: `#${path}` }, ...children);

/** Encodes one path segment (ids come from the API). */
export const seg = (/** @type {string} */ s) => encodeURIComponent(s);
