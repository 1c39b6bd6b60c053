// Measures the console's glyph widths together: xterm.js's DOM renderer measures each new glyph on its own.
import type { Terminal } from '@xterm/xterm';

/** What xterm.js's WidthCache (src/browser/renderer/dom/WidthCache.ts, 6.0) holds: not public API. */
interface WidthCache {
  _flat: Float32Array;
  _container: HTMLElement;
  _measureElements: HTMLElement[];
  _measure(c: string, variant: number): number;
}

/** WidthCache's marker of a width not measured yet, and how many times it repeats a glyph to measure it. */
const FLAT_UNSET = -9999;
const REPEAT = 32;
/** The glyphs measured in one go: printable ASCII, what boot output and shells are made of. */
const ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

/** The open terminal's width cache, if its renderer is the DOM renderer of the shape known here. */
function widthCacheOf(terminal: Terminal): WidthCache | undefined {
  const core = (terminal as unknown as { _core?: { _renderService?: { _renderer?: { value?: unknown } } } })._core;
  const cache = (core?._renderService?._renderer?.value as { _widthCache?: Partial<WidthCache> } | undefined)
    ?._widthCache;
  const known =
    cache?._flat instanceof Float32Array &&
    cache._container instanceof HTMLElement &&
    cache._measureElements?.[0] instanceof HTMLElement &&
    typeof cache._measure === 'function';
  return known ? (cache as WidthCache) : undefined;
}

/**
 * Makes the open `terminal` measure all printable ASCII in one layout the first time it needs any of it (and again
 * after it clears its cache on a font change), instead of one forced layout per new glyph: a screenful of boot
 * output holds some 50 glyphs, each a layout of the page. The widths are the ones xterm would measure (the same
 * element, font and repeat). Measures those not measured yet now, so that a caller can do it in a task of its own
 * before the first screenful. Returns false, leaving xterm as it is, when the renderer is not of the known shape.
 */
export function measureGlyphsTogether(terminal: Terminal): boolean {
  const cache = widthCacheOf(terminal);
  if (!cache) return false;
  const measureOne = cache._measure.bind(cache);
  const regular = cache._measureElements[0]!;
  const unset = (g: string): boolean => cache._flat[g.charCodeAt(0)] === FLAT_UNSET;
  /** Measures `glyphs` (regular, printable ASCII) in one layout and keeps their widths; returns them. */
  const measure = (glyphs: string[]): number[] => {
    const spans = glyphs.map((g) => {
      const span = regular.cloneNode() as HTMLElement;
      span.dataset.batch = '';
      span.textContent = g.repeat(REPEAT);
      return span;
    });
    cache._container.append(...spans);
    // The first read lays the page out once; the others read that layout.
    const widths = spans.map((span) => span.offsetWidth / REPEAT);
    for (const span of spans) span.remove();
    glyphs.forEach((g, i) => widths[i]! > 0 && (cache._flat[g.charCodeAt(0)] = widths[i]!));
    return widths;
  };
  cache._measure = (c, variant) => {
    const code = c.charCodeAt(0);
    if (variant !== 0 || c.length !== 1 || code < 0x20 || code >= 0x7f) return measureOne(c, variant);
    const glyphs = ASCII.filter((g) => g === c || unset(g));
    return measure(glyphs)[glyphs.indexOf(c)]!;
  };
  const glyphs = ASCII.filter(unset);
  if (glyphs.length > 0) measure(glyphs);
  return true;
}
