// Starting points for the js appliance's script: TypeScript modules in web/templates/, shipped as text.
import counter from './templates/counter.ts?raw';
import database from './templates/database.ts?raw';
import form from './templates/form.ts?raw';
import hello from './templates/hello.ts?raw';
import timer from './templates/timer.ts?raw';
import todos from './templates/todos.ts?raw';

export interface ScriptTemplate {
  id: string;
  title: string;
  source: string;
}

/** The templates, the first one being what a js appliance with no user-data runs. */
export const TEMPLATES: readonly ScriptTemplate[] = [
  { id: 'hello', title: 'Hello JSON API', source: hello },
  { id: 'counter', title: 'Counter (module state)', source: counter },
  { id: 'todos', title: 'Todo REST API', source: todos },
  { id: 'form', title: 'HTML page with a form', source: form },
  { id: 'timer', title: 'Timer (logs every second)', source: timer },
  { id: 'database', title: 'A service with a database', source: database },
];

/** The script a js appliance runs when it has no user-data of its own. */
export function defaultScript(): string {
  return TEMPLATES[0]!.source;
}
