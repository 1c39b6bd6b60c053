// Timers run between requests: this one logs a line on the console every second.
let ticks = 0;

setInterval(() => {
  ticks += 1;
  console.log(`tick ${ticks}`);
}, 1000);

export default {
  async fetch(): Promise<Response> {
    return Response.json({ ticks });
  },
};
