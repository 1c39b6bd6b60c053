// The static appliance: a web server on port 80 for the site in its
// user-data (multiboot module 0, a tar archive served in place), or its
// built-in site when there is none. The parts that do not touch hardware
// are in the other files of this directory (see static.h).

#include "tabcloud.h"
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
  const u8 *site = 0;
  u32 len = 0;
  int given = user_data(&site, &len) == 0;

  site_load(site, len, given);
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
