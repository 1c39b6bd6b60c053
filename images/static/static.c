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

static struct nic nic;

// The interface has an address: listen, and announce we are ready.
static void
static_up(void)
{
  char note[64];

  boot_mark(netif.how[0] == 'd' ? "dhcp-bound" : "static-ip");
  if(http_listen(80, &static_app) < 0)
    panic("static: cannot listen on port 80");
  boot_mark("listening");
  ksnprintf(note, sizeof(note), NAME " listening on http://" IP_FMT ":80/", IP_ARGS(netif.ip));
  boot_ready_note(NAME, rdtsc(), note);
  shell_prompt();
}

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

// Read the site, start the NIC and the stack; READY follows from static_up.
void
app_main(void)
{
  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("net", "address, ARP cache, TCP connections", net_cmd);
  shell_register("files", "the site's files: size, ETag, path", cmd_files);
  idle_register(shell_poll);
  static_site();
  if(ne2k_init(&nic) < 0)
    panic("static: no NE2000 network card (v86 00:05.0, QEMU -device ne2k_pci)");
  boot_mark("nic");
  kprintf("nic: %s " MAC_FMT " io 0x%x irq %d\n", nic.name, MAC_ARGS(nic.mac), nic.iobase, nic.irq);
  net_init(&nic, mb_cmdline(), static_up, time_us());
  idle_register(net_poll);
}
