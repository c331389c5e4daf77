// The API refuses a form with 400 and names each field (`body.phone: expected E.164…`); a
// duplicate id is a 409. These turn that answer into one message per form field, the server's
// own words, so a form refuses exactly what the API refuses, with the same message.

/**
 * @param {any} err an ApiError
 * @returns {Record<string, string>} field name → message
 */
export function fieldErrors(err) {
  /** @type {Record<string, string>} */
  const out = {};
  const fields = err?.details?.fields;
  if (Array.isArray(fields)) {
    for (const f of fields) {
      const name = String(f.path ?? '')
        .replace(/^body\.?/, '')
        .split('.')[0];
      if (name && !(name in out)) out[name] = f.message;
    }
  } else {
    // Checks made after the schema (an unknown model or beneficiary) name the field in the message.
    const m = /^body\.(\w+): (.*)$/.exec(String(err?.message ?? ''));
    if (m?.[1]) out[m[1]] = m[2] ?? '';
  }
  if (err?.code === 'CENTINELA_ERR_CONFLICT' && Object.keys(out).length === 0) out.id = err.message;
  return out;
}
