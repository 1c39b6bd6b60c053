// The js appliance's playground: the script's editor, its templates and Run. Run compiles in a worker and reboots
// the machine with the new script; compile errors and the guest's runtime errors are marked at their line.
import type { Mark, CodeEditor } from './code-editor.ts';
import { h, showError } from './dom.ts';
import { prepareMachineWorker } from './machine-client.ts';
import { ScriptErrorScanner, type ScriptRuntimeError } from './script-errors.ts';
import { defaultScript, TEMPLATES } from './script-templates.ts';
import { transpileScript, warmUpTranspiler, type ScriptDiagnostic } from './transpiler.ts';

const RUNNING = 'Starting the new script…';

export interface PlaygroundHooks {
  /** Reboots the appliance with `source` (UTF-8) as its user-data; the bundle is made from it on boot. */
  run(source: Uint8Array): void;
}

/** The mounted playground; the appliance view feeds it the guest's console. */
export interface Playground {
  element: HTMLElement;
  /** A boot started: runtime errors from here on belong to the script now running. */
  booted(): void;
  /** Bytes the guest wrote on its console. */
  consoleOutput(data: Uint8Array): void;
  /** The machine is ready: the script just run serves. */
  serving(): void;
  dispose(): void;
}

/** Renders the playground for a script appliance whose saved user-data is `current` (none: the first template). */
export function renderPlayground(name: string, current: Uint8Array | undefined, hooks: PlaygroundHooks): Playground {
  let lastRun = current && current.length > 0 ? new TextDecoder().decode(current) : defaultScript();
  let editor: CodeEditor | undefined;
  let disposed = false;
  let runtimeMarks: Mark[] = [];
  let scanner = new ScriptErrorScanner();

  const templates = h(
    'select',
    { 'aria-label': 'Template' },
    h('option', { value: '' }, 'Start from a template…'),
    ...TEMPLATES.map((t) => h('option', { value: t.id }, t.title)),
  );
  const runButton = h(
    'button',
    { class: 'button', type: 'button', title: 'Compile, reboot with the new script and serve (Ctrl+Enter)' },
    'Run',
  );
  const status = h('span', { class: 'script-status', role: 'status' }, 'Loading the editor…');
  const host = h('div', { class: 'script-editor' });
  const problems = h('ul', { class: 'script-problems', 'aria-label': 'Problems' });
  problems.hidden = true;
  const element = h(
    'section',
    { class: 'playground', 'aria-label': 'Script' },
    h(
      'div',
      { class: 'playground-bar' },
      h('h3', {}, 'Script'),
      templates,
      runButton,
      h('span', { class: 'hint' }, 'Ctrl+Enter'),
    ),
    host,
    status,
    problems,
  );

  const showProblems = (marks: Mark[]): void => {
    problems.hidden = marks.length === 0;
    problems.replaceChildren(
      ...marks.map((m) => h('li', {}, `Line ${m.line}${m.column ? `, column ${m.column}` : ''}: ${m.message}`)),
    );
    editor?.mark(marks);
  };
  const edited = (): void => {
    // Whoever edits is about to Run: the compiler and the next machine's worker load meanwhile.
    warmUpTranspiler();
    prepareMachineWorker();
    status.textContent = editor?.text() === lastRun ? '' : 'Edited: press Run to serve it.';
  };

  const run = async (): Promise<void> => {
    if (!editor || runButton.disabled) return;
    const source = editor.text();
    runButton.disabled = true;
    status.textContent = 'Compiling…';
    let diagnostics: ScriptDiagnostic[];
    try {
      const result = await transpileScript(source);
      diagnostics = result.ok ? [] : result.diagnostics;
    } catch (error) {
      status.textContent = 'Not run: the compiler is unavailable.';
      showError((error as Error).message);
      return;
    } finally {
      runButton.disabled = false;
    }
    if (disposed) return;
    if (diagnostics.length > 0) {
      status.textContent = `Not run: ${diagnostics.length === 1 ? '1 problem' : `${diagnostics.length} problems`} to fix.`;
      showProblems(diagnostics);
      return;
    }
    lastRun = source;
    showProblems([]);
    status.textContent = RUNNING;
    hooks.run(new TextEncoder().encode(source));
  };
  runButton.addEventListener('click', () => void run());
  // Ctrl+Enter also from the template list or the Run button; the editor handles its own.
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      void run();
    }
  });
  templates.addEventListener('change', () => {
    const template = TEMPLATES.find((t) => t.id === templates.value);
    templates.value = '';
    if (!template || !editor) return;
    const unsaved = editor.text() !== lastRun;
    if (unsaved && !confirm(`Replace your changes with the template “${template.title}”? They have not been run.`)) {
      return;
    }
    editor.setText(template.source);
    showProblems([]);
    status.textContent = `${template.title}: press Run to serve it.`;
    editor.focus();
  });

  void import('./code-editor.ts').then(
    ({ createCodeEditor }) => {
      if (disposed) return;
      host.replaceChildren();
      editor = createCodeEditor(host, { doc: lastRun, onRun: () => void run(), onChange: edited });
      status.textContent = '';
      if (runtimeMarks.length > 0) showProblems(runtimeMarks);
    },
    (error: Error) => {
      status.textContent = 'The editor could not be loaded.';
      showError(`The script editor could not be loaded (${error.message}). Reload the page to try again.`);
    },
  );

  /** A runtime error the guest reported: marked at its line (the first line if the guest did not know). */
  const runtimeError = (error: ScriptRuntimeError): void => {
    const mark: Mark = {
      line: Math.max(1, error.line),
      column: error.column,
      message: error.line > 0 ? error.message : `${error.message} (at an unknown line)`,
    };
    runtimeMarks = [...runtimeMarks.filter((m) => m.line !== mark.line), mark];
    status.textContent = `Runtime error at line ${mark.line}: see the console.`;
    showProblems(runtimeMarks);
  };

  return {
    element,
    booted() {
      if (runtimeMarks.length > 0) showProblems([]);
      runtimeMarks = [];
      scanner = new ScriptErrorScanner();
    },
    consoleOutput(data) {
      for (const error of scanner.feed(data)) runtimeError(error);
    },
    serving() {
      if (status.textContent === RUNNING) status.textContent = `Serving at /vm/${name}/.`;
    },
    dispose() {
      disposed = true;
      editor?.dispose();
    },
  };
}
