// A web page with a form that posts back to it: a tiny guestbook. Open /vm/<name>/ in a new tab.
const entries: string[] = [];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(): Response {
  const items = entries.map((entry) => `<li>${escape(entry)}</li>`).join('');
  const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Guestbook</title></head>
  <body>
    <h1>Guestbook</h1>
    <form method="post">
      <label>Your message <input name="message" required></label>
      <button>Sign</button>
    </form>
    <ul>${items || '<li>No entries yet.</li>'}</ul>
  </body>
</html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method === 'POST') {
      // A form posts application/x-www-form-urlencoded: message=Hello+there
      const form = new URLSearchParams(await request.text());
      const message = form.get('message')?.trim();
      if (message) entries.push(message);
    }
    return page();
  },
};
