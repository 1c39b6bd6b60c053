// A REST API for todos: GET /todos, POST /todos {"title": "..."}, GET and DELETE /todos/:id.
interface Todo {
  id: number;
  title: string;
  done: boolean;
}

let todos: Todo[] = [];
let nextId = 1;

function error(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

async function create(request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, 'the body must be JSON: {"title": "..."}');
  }
  const title = (body as { title?: unknown } | null)?.title;
  if (typeof title !== 'string' || title.trim() === '') return error(400, 'a todo needs a "title" string');
  const todo: Todo = { id: nextId++, title: title.trim(), done: false };
  todos.push(todo);
  return Response.json(todo, { status: 201, headers: { location: `/todos/${todo.id}` } });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/' || pathname === '/todos') {
      if (request.method === 'GET') return Response.json(todos);
      if (request.method === 'POST' && pathname === '/todos') return create(request);
      return error(405, 'use GET or POST on /todos');
    }
    const match = /^\/todos\/(\d+)$/.exec(pathname);
    if (!match) return error(404, `no route ${pathname}`);
    const id = Number(match[1]);
    const todo = todos.filter((t) => t.id === id)[0];
    if (!todo) return error(404, `no todo ${id}`);
    if (request.method === 'GET') return Response.json(todo);
    if (request.method === 'DELETE') {
      todos = todos.filter((t) => t !== todo);
      return new Response(null, { status: 204 });
    }
    return error(405, 'use GET or DELETE on /todos/:id');
  },
};
