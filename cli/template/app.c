// {{name}}: an HTTP service on port 80 and a console command, on the
// Tabcloud appliance API (tabcloud.h: every call it can make, with its
// contract). Build: npx tabcloud build {{name}}
// Run:   npx tabcloud run {{name}}/{{name}}.elf -p 8080:80, then curl localhost:8080

#include "tabcloud.h"

#define NAME "{{name}}"

static u32 hits;          // requests answered since boot
static const u8 *data;    // the user-data, where the host put it
static u32 data_len;
static u32 sent[TCP_CONNS];   // of the user-data, per connection (http_id)

// Stream body: the next n bytes of the user-data (a large body goes in pieces).
static u32
read_data(struct http_conn *hc, u8 *dst, u32 n)
{
  u32 *off = &sent[http_id(hc)];

  if(n > data_len - *off)
    n = data_len - *off;
  memcpy(dst, data + *off, n);
  *off += n;
  return n;
}

// GET / answers JSON about the appliance; GET /data the user-data itself.
static void
app_request(struct http_conn *hc, const struct http_req *r)
{
  char body[HTTP_SMALL_BODY];
  int n;

  hits++;
  if(r->method != HTTP_GET && r->method != HTTP_HEAD){
    http_allow(hc, "GET, HEAD");
    http_error(hc, 405, "method_not_allowed", "use GET");
  } else if(strcmp(r->path, "/") == 0){
    n = ksnprintf(body, sizeof(body), "{\"appliance\":\"%s\",\"uptime_ms\":%llu,\"hits\":%u,\"data_bytes\":%u}\n",
                  NAME, time_ms(), hits, data_len);
    http_respond(hc, 200, "application/json", body, (u32)n);
  } else if(strcmp(r->path, "/data") == 0 && data){
    sent[http_id(hc)] = 0;
    http_respond_stream(hc, 200, "application/json", data_len, read_data);
  } else {
    http_error(hc, 404, "not_found", data ? "try GET / or /data" : "try GET /");
  }
}

static const struct http_app app = {
  .server = "tabcloud-" NAME,
  .request = app_request,
};

// hits: how many requests were answered.
static void
cmd_hits(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  kprintf("%u requests answered\n", hits);
}

// Register the console commands, then serve: READY follows once the network is up.
void
app_main(void)
{
  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("net", "address, ARP cache, TCP connections", net_cmd);
  shell_register("hits", "requests answered since boot", cmd_hits);
  idle_register(shell_poll);
  if(user_data(&data, &data_len) == 0)
    kprintf("%s: %u bytes of user-data at GET /data\n", NAME, data_len);
  net_serve(NAME, 80, &app);
}
