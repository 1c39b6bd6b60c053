// The user-data editor: a JSON document (kv's seed) or a few files (static's site), applied by a reboot.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { clearError, h, showError } from './dom.ts';
import { formatBytes } from './format.ts';
import { packTar, unpackTar } from './ustar.ts';

interface File {
  name: string;
  data: Uint8Array;
}

/** Renders the editor for `spec`'s user-data; `apply` gets the new bytes (and reboots the appliance). */
export function renderUserDataEditor(
  spec: ApplianceSpec,
  current: Uint8Array | undefined,
  apply: (bytes: Uint8Array) => void,
): HTMLElement {
  const body = spec.userData === 'files' ? filesEditor(current, apply) : jsonEditor(current, apply);
  return h('section', { class: 'user-data', 'aria-label': 'User-data' }, h('h3', {}, 'User-data'), ...body);
}

function jsonEditor(current: Uint8Array | undefined, apply: (bytes: Uint8Array) => void): HTMLElement[] {
  const text = h('textarea', { rows: '6', spellcheck: 'false', 'aria-label': 'User-data (JSON)' });
  text.value = current && current.length > 0 ? new TextDecoder().decode(current) : '{}';
  const button = h('button', { class: 'button', type: 'button' }, 'Apply and reboot');
  button.addEventListener('click', () => {
    clearError();
    try {
      JSON.parse(text.value);
    } catch (error) {
      showError(`The user-data is not valid JSON (${(error as Error).message}). Fix it, then apply again.`);
      return;
    }
    apply(new TextEncoder().encode(text.value));
  });
  return [h('p', { class: 'hint' }, 'A JSON object of strings: the keys the store starts with.'), text, button];
}

function filesEditor(current: Uint8Array | undefined, apply: (bytes: Uint8Array) => void): HTMLElement[] {
  let files: File[] = [];
  try {
    files = current && current.length > 0 ? unpackTar(current) : [];
  } catch (error) {
    showError(`The saved site is not a readable archive (${(error as Error).message}); starting from no files.`);
  }
  const list = h('ul', { class: 'file-list', 'aria-label': 'Files' });
  const name = h('input', { 'aria-label': 'File name', placeholder: 'index.html' });
  const content = h('textarea', { rows: '6', spellcheck: 'false', 'aria-label': 'File content' });
  const save = h('button', { class: 'button secondary', type: 'button' }, 'Add or replace file');
  const upload = h('input', { type: 'file', multiple: '', 'aria-label': 'Add files from your computer' });
  const button = h('button', { class: 'button', type: 'button' }, 'Apply and reboot');

  const put = (file: File): void => {
    files = [...files.filter((f) => f.name !== file.name), file].sort((a, b) => a.name.localeCompare(b.name));
    render();
  };
  const render = (): void => {
    list.replaceChildren(
      ...(files.length === 0 ? [h('li', {}, 'No files: the appliance serves its built-in site.')] : []),
      ...files.map((file) => {
        const edit = h('button', { class: 'link', type: 'button', 'aria-label': `Edit ${file.name}` }, file.name);
        edit.addEventListener('click', () => {
          name.value = file.name;
          content.value = new TextDecoder().decode(file.data);
        });
        const remove = h('button', { class: 'link', type: 'button', 'aria-label': `Remove ${file.name}` }, 'remove');
        remove.addEventListener('click', () => {
          files = files.filter((f) => f !== file);
          render();
        });
        return h('li', {}, edit, ` ${formatBytes(file.data.length)} `, remove);
      }),
    );
  };
  save.addEventListener('click', () => {
    const fileName = name.value.trim().replace(/^\/+/, '');
    if (!fileName || fileName.split('/').includes('..')) {
      showError('Give the file a name such as index.html or css/site.css (no "..").');
      return;
    }
    put({ name: fileName, data: new TextEncoder().encode(content.value) });
  });
  upload.addEventListener('change', () => {
    for (const file of upload.files ?? []) void file.bytes().then((data) => put({ name: file.name, data }));
    upload.value = '';
  });
  button.addEventListener('click', () => {
    clearError();
    try {
      apply(packTar(files));
    } catch (error) {
      showError(`Could not pack the files: ${(error as Error).message}`);
    }
  });
  render();
  return [
    h('p', { class: 'hint' }, 'The files of the site it serves; index.html answers /.'),
    list,
    name,
    content,
    h('div', { class: 'card-actions' }, save, upload),
    button,
  ];
}
