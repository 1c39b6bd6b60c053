// A JSON API: every request gets a small JSON answer. Edit it, then press Run (Ctrl+Enter).
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    return Response.json({
      hello: 'world',
      method: request.method,
      path: url.pathname,
      query: url.searchParams.get('name') ?? undefined,
    });
  },
};
