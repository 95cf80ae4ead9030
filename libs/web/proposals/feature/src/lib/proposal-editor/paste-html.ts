/**
 * Pasted HTML (from Word, a web page) brought to what the schema offers before ProseMirror parses
 * it: headings of other levels become level 2 (h1) or 3 (h4–h6). Everything else foreign — styles,
 * classes, spans, font tags, Word's mso markup, underline and strike-through — the schema drops,
 * keeping the text (bold and italic written as styles are kept as bold and italic).
 */
export function normalisePastedHtml(html: string): string {
  return html
    .replace(/<(\/?)h1(\s|>)/gi, '<$1h2$2')
    .replace(/<(\/?)h[456](\s|>)/gi, '<$1h3$2');
}
