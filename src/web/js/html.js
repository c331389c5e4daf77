// Preact components written with htm tagged templates: no build step, no HTML parsing of data
// (htm builds virtual nodes; values are set as text or properties, never as markup).
import htm from 'htm';
import { h, render } from 'preact';

export const html = htm.bind(h);
export { render };
