/**
 * Issue 15, P6: why a device's message was unreadable may quote the message itself (a JSON
 * parser's error names the first characters: `Unexpected token 'H', "Help me, t"... is not
 * valid JSON`). An alarm's text is the person's words: the reasons shown keep their shape and
 * lose every quoted fragment.
 */
export function withoutPayloadText(reason: string): string {
  return reason
    .replace(/"(?:[^"\\]|\\.)*"?/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'?/g, "'…'")
    .replace(/`(?:[^`\\]|\\.)*`?/g, '`…`');
}
