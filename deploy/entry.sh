#!/bin/sh
# Runs one appliance under QEMU in the foreground: the container's entry point, and usable
# as it is on any Linux host with qemu-system-i386. Settings come from the environment:
#   TABCLOUD_IMAGE      the multiboot ELF (default /appliance/appliance.elf)
#   TABCLOUD_USER_DATA  a user-data file (default /appliance/user-data, if it exists)
#   TABCLOUD_MEMORY     guest memory in MiB (default 32)
#   TABCLOUD_PUBLISH    "HOST:GUEST ..." TCP ports to forward from all addresses (default 80:80)
#   TABCLOUD_CMDLINE    the kernel command line (optional)
#   TABCLOUD_ACCEL      kvm or tcg (default: kvm if /dev/kvm is usable, else tcg)
# The appliance's console is standard input and output; SIGTERM stops it.
set -eu

image=${TABCLOUD_IMAGE:-/appliance/appliance.elf}
user_data=${TABCLOUD_USER_DATA:-/appliance/user-data}
memory=${TABCLOUD_MEMORY:-32}
publish=${TABCLOUD_PUBLISH:-80:80}

if [ ! -r "$image" ]; then
  echo "tabcloud: no appliance image at $image: set TABCLOUD_IMAGE or copy one there" >&2
  exit 2
fi

# KVM when the device opens and is not KVM PVM (which runs only paravirtualized guests).
accel=${TABCLOUD_ACCEL:-}
if [ -z "$accel" ]; then
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -e /sys/module/kvm_pvm ]; then accel=kvm; else accel=tcg; fi
fi
echo "tabcloud: qemu-system-i386 with $(if [ "$accel" = kvm ]; then echo KVM; else echo 'TCG, emulated'; fi)" >&2

forwards=
for mapping in $publish; do
  case $mapping in
    *[!0-9:]* | *:*:* | :* | *: | [!0-9]*) echo "tabcloud: TABCLOUD_PUBLISH takes HOST:GUEST ports, not '$mapping'" >&2; exit 2 ;;
  esac
  forwards="$forwards,hostfwd=tcp::${mapping%%:*}-:${mapping#*:}"
done

set -- -kernel "$image" -m "${memory}M" -accel "$accel" \
  -display none -serial stdio -monitor none -no-reboot -nodefaults \
  -netdev "user,id=n0$forwards" -device ne2k_pci,netdev=n0
[ -r "$user_data" ] && set -- "$@" -initrd "$user_data"
[ -n "${TABCLOUD_CMDLINE:-}" ] && set -- "$@" -append "$TABCLOUD_CMDLINE"
# exec: QEMU is the container's process 1 and gets its SIGTERM directly.
exec qemu-system-i386 "$@"
