// The script editor: CodeMirror 6 with TypeScript highlighting, line numbers and error markers. The one module that
// imports CodeMirror; the js appliance's view loads it as a chunk of its own.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** A problem to mark in the editor; line and column are 1-based (column 0 or absent: the whole line). */
export interface Mark {
  line: number;
  column?: number;
  message: string;
}

export interface CodeEditorOptions {
  doc: string;
  /** Ctrl+Enter (Cmd+Enter on a Mac). */
  onRun(): void;
  /** The text changed (typed, pasted or set). */
  onChange(): void;
}

/** A mounted editor; dispose() removes it. */
export interface CodeEditor {
  text(): string;
  setText(text: string): void;
  /** Replaces the error markers with `marks` (none: clears them). */
  mark(marks: Mark[]): void;
  focus(): void;
  dispose(): void;
}

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: '#c792ea' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: '#c3e88d' },
  { tag: [tags.number, tags.bool, tags.null], color: '#f78c6c' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: '#6b7f91', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.className], color: '#ffcb6b' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: '#82aaff' },
  { tag: tags.propertyName, color: '#b2ccd6' },
  { tag: [tags.operator, tags.punctuation], color: '#89ddff' },
]);

const theme = EditorView.theme(
  {
    '&': { backgroundColor: '#0b1219', color: '#e6edf3', height: '100%', fontSize: '14px' },
    '.cm-content': { fontFamily: 'ui-monospace, monospace', caretColor: '#e6edf3' },
    '.cm-scroller': { fontFamily: 'ui-monospace, monospace', overflow: 'auto' },
    '.cm-gutters': { backgroundColor: '#0f1720', color: '#6b7f91', border: 'none' },
    '.cm-activeLine': { backgroundColor: '#ffffff0a' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff12' },
    '&.cm-focused .cm-cursor': { borderLeftColor: '#e6edf3' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#264f78' },
    '.cm-tooltip': { backgroundColor: '#16212c', color: '#e6edf3', border: '1px solid #2a3a4a' },
  },
  { dark: true },
);

/** Opens an editor in `parent`. */
export function createCodeEditor(parent: HTMLElement, options: CodeEditorOptions): CodeEditor {
  const run = (): boolean => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(highlight),
        javascript({ typescript: true }),
        lintGutter(),
        keymap.of([{ key: 'Mod-Enter', run, preventDefault: true }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((update) => update.docChanged && options.onChange()),
        EditorView.contentAttributes.of({ 'aria-label': 'Script editor', spellcheck: 'false' }),
        theme,
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    mark(marks) {
      view.dispatch(
        setDiagnostics(
          view.state,
          marks.map((m) => diagnostic(view.state.doc, m)),
        ),
      );
    },
    focus: () => view.focus(),
    dispose: () => view.destroy(),
  };
}

/** A lint diagnostic for `mark`: from its column to the end of the word there, or the whole line. */
function diagnostic(doc: Text, mark: Mark): Diagnostic {
  const line = doc.line(Math.min(Math.max(1, mark.line), doc.lines));
  const column = mark.column && mark.column > 0 ? Math.min(mark.column - 1, line.length) : undefined;
  let from = column === undefined ? line.from : line.from + column;
  let to = column === undefined ? line.to : from + (/^\w+/.exec(line.text.slice(column))?.[0].length ?? 1);
  to = Math.min(to, line.to);
  if (to <= from) {
    // At the end of a line (a missing ';'): mark the character before, so the marker can be seen.
    from = Math.max(line.from, Math.min(from, line.to) - 1);
    to = Math.max(from, line.to);
  }
  return { from, to, severity: 'error', message: mark.message };
}
