// A service with a database: notes kept in a kv appliance, reached by its name on the network.
// GET /notes lists them; GET, PUT (the body is the note) and DELETE /notes/:name; GET / shows both services.

/** The kv appliance's name on the network (its key in tabcloud.json, or the name it runs under in the page). */
const DB = 'http://db';
const NOTE = /^[A-Za-z0-9._~-]{1,100}$/;

function error(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/** What a call to the database failed with: no appliance of that name, or it stopped. */
interface Unreachable {
  unreachable: string;
}

/** One request to the database; a network failure is thrown as Unreachable. */
async function db(path: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(`${DB}${path}`, init);
  } catch (e) {
    const failure: Unreachable = { unreachable: (e as Error).message };
    throw failure;
  }
}

/** The database's own error, passed on as a 502 that says who answered. */
async function upstream(r: Response): Promise<Response> {
  return error(502, `the database answered ${r.status} ${r.statusText}: ${await r.text()}`);
}

async function note(request: Request, name: string): Promise<Response> {
  const key = `/keys/note.${name}`;
  if (request.method === 'GET') {
    const r = await db(key);
    if (r.status === 404) return error(404, `no note ${name}`);
    if (!r.ok) return upstream(r);
    return new Response(await r.text(), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  if (request.method === 'PUT') {
    const text = await request.text();
    const headers = { 'content-type': 'text/plain; charset=utf-8' };
    const r = await db(key, { method: 'PUT', body: text, headers });
    if (!r.ok) return upstream(r);
    return Response.json(
      { name, bytes: new TextEncoder().encode(text).length },
      { status: r.status === 201 ? 201 : 200 },
    );
  }
  if (request.method === 'DELETE') {
    const r = await db(key, { method: 'DELETE' });
    if (r.status === 404) return error(404, `no note ${name}`);
    if (!r.ok) return upstream(r);
    return new Response(null, { status: 204 });
  }
  return error(405, 'use GET, PUT or DELETE on /notes/:name');
}

async function route(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/') {
    const r = await db('/');
    return Response.json({ service: 'notes', database: r.ok ? await r.json() : r.status });
  }
  if (pathname === '/notes') {
    if (request.method !== 'GET') return error(405, 'use GET on /notes');
    const r = await db('/keys');
    if (!r.ok) return upstream(r);
    const keys = (await r.json()) as string[];
    return Response.json(keys.filter((k) => k.startsWith('note.')).map((k) => k.slice(5)));
  }
  const match = /^\/notes\/([^/]+)$/.exec(pathname);
  if (!match) return error(404, `no route ${pathname}: try GET /notes or PUT /notes/:name`);
  const name = decodeURIComponent(match[1]!);
  if (!NOTE.test(name)) return error(400, 'a note name is 1-100 characters of A-Z a-z 0-9 . _ ~ -');
  return note(request, name);
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await route(request);
    } catch (e) {
      const failure = e as Partial<Unreachable>;
      if (typeof failure.unreachable !== 'string') throw e;
      console.log(`the database is unreachable: ${failure.unreachable}`);
      return error(503, `the database is unreachable (${failure.unreachable}): run a kv appliance named db`);
    }
  },
};
