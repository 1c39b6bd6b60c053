// The static appliance: a web server on port 80 for the site in its
// user-data (multiboot module 0, a tar archive served in place), or its
// built-in site when there is none. The parts that do not touch hardware
// are in the other files of this directory (see static.h).

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"
#include "net.h"
#include "http.h"
#include "static.h"

#define NAME "static"


// files: list the site's files.
static void
cmd_files(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  site_print();
}

// Read the site from module 0 (it stays where the loader put it).
static void
static_site(void)
{
  u32 start, end;
  int given = mb_module(&start, &end) == 0;

  if(!given)
    start = end = 0;
  site_load((const u8 *)(uintptr_t)start, end - start, given);
  boot_mark("site");
}

// Read the site, start the NIC and the stack; READY follows once it serves.
void
app_main(void)
{
  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("net", "address, ARP cache, TCP connections", net_cmd);
  shell_register("files", "the site's files: size, ETag, path", cmd_files);
  idle_register(shell_poll);
  static_site();
  net_serve(NAME, 80, &static_app);
}
