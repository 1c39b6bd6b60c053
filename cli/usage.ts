// The help texts: one per command, and the overview `tabcloud --help` prints.

export type Command = 'run' | 'up' | 'list' | 'new' | 'build';

const RUN = `Usage: tabcloud run <appliance | path/to/image.elf> [options]

Boots a catalog appliance, or an image of your own (with the appliance.json beside
it, if there is one); its console is this terminal.

Options:
  -p, --publish HOST:GUEST  forward 127.0.0.1:HOST to the guest's TCP port GUEST (repeatable)
  --engine v86|qemu         run in v86 in this process (default) or under qemu-system-i386
                            (with KVM when /dev/kvm is usable, else emulated)
  --user-data FILE          pass FILE to the appliance as multiboot module 0 (for js, a
                            .ts, .js or .mjs service module is transpiled to its bundle first)
  --cmdline TEXT            the kernel command line (e.g. ip=10.0.2.15/24)
  --pcap FILE               write the appliance's network traffic to FILE (pcap)
  --allow-net[=HOSTS]       let the guest call these hosts on the web through the host's
                            proxy (comma-separated: api.example.com, *.example.com,
                            127.0.0.1:8080); alone, any host. Default: none (the guest
                            gets 403). v86 only
  --cold                    boot from the kernel, not from the appliance's snapshot (linux)
  --until PATTERN           exit 0 once a console line matches PATTERN (a regular expression)
  --timeout S               exit 124 if still running after S seconds

Ctrl-C or SIGTERM stops the appliance (captures are completed). When standard
input ends, tabcloud exits once the appliance has answered and gone quiet, so
\`echo uptime | tabcloud run hello\` works; with --publish it keeps serving
until a signal, --until or --timeout. A HOST port already in use, or a file that
is not an appliance image, is exit 2.`;

const UP = `Usage: tabcloud up [file] [--timeout S]

Runs the appliances of file (default: tabcloud.json in this folder) on one
LAN, each under its name, in the spirit of Docker Compose:

  { "appliances": {
      "db":  { "image": "kv" },
      "api": { "image": "js", "userData": "api.ts", "publish": ["8080:80"] } } }

Each appliance takes:
  image     a catalog id (tabcloud list) or the path of an .elf (with the
            appliance.json beside it, if there is one)
  userData  the path of its user-data file (for js, a .ts, .js or .mjs service
            module is transpiled to its bundle first)
  publish   ["HOST:GUEST", ...]: 127.0.0.1:HOST to the guest's TCP port GUEST
  engine    "v86" (default: in this process) or "qemu" (qemu-system-i386)
  cmdline   the kernel command line, after the appliance's own
  allowNet  ["api.example.com", "*.cdn.test", ...] or ["*"]: hosts it may call
            on the web through the host's proxy, as run's --allow-net (default none)
Paths are relative to the file's folder. Names are a letter, then lower-case
letters, digits or inner hyphens. Unknown fields are mistakes.

The appliances get addresses on 10.0.2.0/24 by DHCP and reach each other by
name: DNS answers <name> and <name>.tabcloud. QEMU appliances join the same LAN
(QEMU's stream network backend, connected to this process). Each console line
is printed after its appliance's name; a line typed as <name>: <text> goes to
that appliance's console (not in a background job: \`tabcloud up &\` reads no
input). Standard input may be closed: the appliances serve until Ctrl-C or
SIGTERM, which stop them all (exit 0), or --timeout S (exit 124). An
appliance that fails to boot or stops stops the others too (exit 1). A
mistake in the file (the message names the field), a script that does not
compile or a HOST port in use is exit 2, before anything starts.`;

const LIST = `Usage: tabcloud list

Lists the catalog's appliances (those whose image is not built say so).`;

const NEW = `Usage: tabcloud new <name>

Writes <name>/app.c (an HTTP service in C on the appliance API: a JSON endpoint
and a console command) and <name>/appliance.json (its id, title, summary, memory,
ports and user-data kind), then prints the next commands. <name> is a letter, then
up to 31 lower-case letters, digits or inner hyphens. An existing folder or a bad
name is exit 2.`;

const BUILD = `Usage: tabcloud build [dir]

Compiles the appliance in dir (default: this folder: its .c files and
appliance.json) against the kernel and the network stack with clang and ld.lld,
-Wall -Wextra -Werror, into dir/<id>.elf, and prints its size. Missing tools are
installed (as root on Debian) or named. Compiler errors are exit 1.`;

const OVERVIEW = `Usage:
  tabcloud run <appliance | image.elf> [options]  boot an appliance; its console is this terminal
  tabcloud up [file]                             run tabcloud.json's appliances on one LAN
  tabcloud list                                  list the appliances
  tabcloud new <name>                            start an appliance of your own, in C
  tabcloud build [dir]                           build it into dir/<name>.elf
  tabcloud --version

tabcloud <command> --help says more about each command.`;

const TEXTS: Record<Command, string> = { run: RUN, up: UP, list: LIST, new: NEW, build: BUILD };

/** The help of a command, or the overview. */
export function usage(command?: Command): string {
  return command ? TEXTS[command] : OVERVIEW;
}

/** Whether `word` names a command. */
export function isCommand(word: string | undefined): word is Command {
  return word !== undefined && word in TEXTS;
}
