// Syntax highlighting for the source viewer: Prism's core with its C grammar only (about 5 KB gzipped).
import Prism from 'prismjs/components/prism-core';
import 'prismjs/components/prism-clike';
import 'prismjs/components/prism-c';
import { escapeHtml, splitHtmlLines } from './html-lines.ts';

/** One HTML fragment per line of `text`: C and headers highlighted, assembly and linker scripts as plain text. */
export function highlightLines(text: string, path: string): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const html = /\.[ch]$/.test(path) ? Prism.highlight(body, Prism.languages['c']!, 'c') : escapeHtml(body);
  return splitHtmlLines(html);
}
