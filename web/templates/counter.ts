// Module state lives as long as the machine: each request counts, and a saved machine resumes with its count.
let count = 0;
const started = Date.now();

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/reset' && request.method === 'POST') count = 0;
    else if (pathname !== '/favicon.ico') count += 1;
    return Response.json({ count, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  },
};
