// The console command `fetch [-X METHOD] [-d body] <url>`, like curl: one
// request at a time; prints the status line, the headers and the body (its
// first FETCH_SHOW_MAX bytes, control characters as '.'), then a summary
// with the body's length and CRC-32 (zlib's), or the error. The prompt
// comes back when it is over.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "fetch_impl.h"

static struct {
  int busy;
  int handle;
  u32 bytes;            // body bytes received
  u32 crc;              // their CRC-32, not yet inverted
  u8 nl;                // the last character printed was a newline
  u64 start;            // time_us() at the start
} cmd;

// The status line as received (handle's head[] starts with it).
static void
cmd_status_line(void)
{
  struct fetch *f = fetch_slot(cmd.handle);

  if(f)
    kprintf("%.*s\n", (int)f->status_len - 2, f->head);
}

// The head arrived: the status line and header lines, then a blank line.
static int
cmd_head(void *ctx, int status, const char *headers, u32 n)
{
  (void)ctx;
  (void)status;
  cmd_status_line();
  for(u32 i = 0; i < n; i++)
    if(headers[i] != '\r')
      kprintf("%c", headers[i]);
  kprintf("\n");
  cmd.nl = 1;
  return 0;
}

// A piece of the body: printed up to FETCH_SHOW_MAX bytes; counted and summed.
static void
cmd_body(void *ctx, const u8 *p, u32 n)
{
  (void)ctx;
  for(u32 i = 0; i < n; i++){
    cmd.crc ^= p[i];
    for(int b = 0; b < 8; b++)
      cmd.crc = cmd.crc >> 1 ^ (0xEDB88320u & -(cmd.crc & 1));
    if(cmd.bytes + i >= FETCH_SHOW_MAX || p[i] == '\r')
      continue;
    kprintf("%c", p[i] < ' ' && p[i] != '\n' && p[i] != '\t' ? '.' : p[i]);
    cmd.nl = p[i] == '\n';
  }
  cmd.bytes += n;
}

// The end: the summary (or the error), then the prompt.
static void
cmd_done(void *ctx, const char *error)
{
  (void)ctx;
  if(!cmd.nl)
    kprintf("\n");
  if(error)
    kprintf("fetch: %s\n", error);
  else
    kprintf("-- %u bytes (%u shown), crc32 %08x, %u ms\n", cmd.bytes,
            cmd.bytes < FETCH_SHOW_MAX ? cmd.bytes : FETCH_SHOW_MAX, ~cmd.crc,
            (u32)((time_us() - cmd.start) / 1000));
  cmd.busy = 0;
  shell_prompt();
}

static const struct fetch_ops cmd_ops = { cmd_head, cmd_body, cmd_done };

// fetch [-X METHOD] [-d body] <url>: -d sends body (POST unless -X says).
void
fetch_cmd(int argc, char **argv)
{
  struct fetch_req r = { 0, 0, 0, 0, 0, 0 };
  int i;

  for(i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2){
    if(strcmp(argv[i], "-X") == 0)
      r.method = argv[i + 1];
    else if(strcmp(argv[i], "-d") == 0){
      r.body = argv[i + 1];
      r.body_len = strlen(argv[i + 1]);
      r.method = r.method ? r.method : "POST";
    } else
      break;
  }
  if(i != argc - 1 || argv[i][0] == '-'){
    kprintf("usage: fetch [-X METHOD] [-d body] <url>   e.g. fetch http://db/keys\n");
    return;
  }
  if(cmd.busy){
    kprintf("fetch: a request is in flight already; wait for it to end\n");
    return;
  }
  r.url = argv[i];
  memset(&cmd, 0, sizeof(cmd));
  cmd.crc = 0xFFFFFFFFu;
  cmd.start = time_us();
  if((cmd.handle = http_fetch(&r, &cmd_ops, 0)) < 0){
    kprintf("fetch: %s\n", fetch_error());
    return;
  }
  cmd.busy = 1;
  shell_later();
}
