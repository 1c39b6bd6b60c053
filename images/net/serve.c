// The bring-up every network appliance shares: the NIC (virtio-net when
// there is one, else the NE2000) and the stack (with the console's fetch
// command), then, once the interface has an address, its HTTP server and
// the READY line. Not in the host tests: it reaches the hardware.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"
#include "net.h"
#include "http.h"

static struct {
  const char *name;
  u16 port;
  const struct http_app *app;
  struct nic nic;
} serve;

// The interface has an address: listen, and announce we are ready.
static void
serve_up(void)
{
  char note[80];

  boot_mark(netif.how[0] == 'd' ? "dhcp-bound" : "static-ip");
  if(http_listen(serve.port, serve.app) < 0)
    panic("%s: cannot listen on port %u", serve.name, serve.port);
  boot_mark("listening");
  ksnprintf(note, sizeof(note), "%s listening on http://" IP_FMT ":%u/", serve.name, IP_ARGS(netif.ip), serve.port);
  boot_ready_note(serve.name, rdtsc(), note);
  shell_prompt();
}

// Start the NIC and the stack; once DHCP (or the cmdline's ip=) gives an
// address, serve app on port and print "READY name".
void
net_serve(const char *name, u16 port, const struct http_app *app)
{
  struct nic *nic = &serve.nic;

  serve.name = name;
  serve.port = port;
  serve.app = app;
  if(virtio_net_init(nic) < 0 && ne2k_init(nic) < 0)
    panic("%s: no network card (virtio-net: v86 00:0a.0, QEMU -device virtio-net-pci; "
          "or NE2000: v86 00:05.0, QEMU -device ne2k_pci)", name);
  boot_mark("nic");
  kprintf("nic: %s " MAC_FMT " at 0x%x irq %d mtu %u, %u receive buffers\n", nic->name, MAC_ARGS(nic->mac),
          nic->iobase, nic->irq, nic->mtu, nic->rx_frames);
  net_init(nic, mb_cmdline(), serve_up, time_us());
  netif.name = name;
  idle_register(net_poll);
  shell_register("fetch", "fetch [-X METHOD] [-d body] <url>: an HTTP request, like curl", fetch_cmd);
}
