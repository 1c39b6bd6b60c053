// Cuts a highlighter's HTML into one fragment per source line, so each line can have its own anchor: a token
// that spans lines (a block comment) is closed at each line's end and opened again on the next.

const TAG_OR_NEWLINE = /<span\b[^>]*>|<\/span>|\n/g;

/** Splits HTML made of text and (nested) <span> elements into balanced per-line fragments. */
export function splitHtmlLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let line = '';
  let last = 0;
  for (const match of html.matchAll(TAG_OR_NEWLINE)) {
    line += html.slice(last, match.index);
    last = match.index + match[0].length;
    const token = match[0];
    if (token === '\n') {
      lines.push(line + '</span>'.repeat(open.length));
      line = open.join('');
    } else if (token === '</span>') {
      open.pop();
      line += token;
    } else {
      open.push(token);
      line += token;
    }
  }
  lines.push(line + html.slice(last) + '</span>'.repeat(open.length));
  return lines;
}

/** Escapes text for use as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
