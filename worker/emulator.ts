// The one adapter to v86: everything else deals in bytes, frames and plain objects.
import { V86, type V86Options } from 'v86';

export interface EmulatorOptions {
  /** The multiboot ELF, or a Linux bzImage if `bzimage` is set; unused when resuming a `state`. */
  kernel?: ArrayBuffer;
  /** `kernel` is a Linux bzImage: v86 loads it as an option ROM that only a `bios` runs. */
  bzimage?: boolean;
  /** A machine saved by saveState() to resume instead of booting; its NIC keeps the saved MAC. */
  state?: ArrayBuffer;
  /** Guest RAM in bytes; a resumed state needs the size it was saved with. */
  memory: number;
  cmdline?: string;
  /** Multiboot module 0, or a Linux initramfs (v86 puts it at 64 MiB: `memory` must exceed 64 MiB plus its size). */
  initrd?: ArrayBuffer;
  /** A BIOS to run first: multiboot appliances boot without one, a Linux bzImage needs it. */
  bios?: ArrayBuffer;
  /** A bootable CD the BIOS boots from instead of a kernel (the boot benchmark's conventional baseline). */
  cdrom?: ArrayBuffer;
  /** The VGA BIOS a boot loader on `cdrom` draws with. */
  vgaBios?: ArrayBuffer;
  /** Where v86.wasm is: a URL in a browser, a file path in Node. */
  wasmPath: string;
  onSerial(byte: number): void;
  /** A frame the guest's NIC sent (a copy: v86 hands out a view into NIC memory). */
  onFrame?(frame: Uint8Array): void;
  /** The guest's network card (default ne2k). */
  nic?: 'ne2k' | 'virtio';
  /** v86 has compiled its wasm and set the machine up (v86's emulator-ready), before a state is restored. */
  onReady?(): void;
}

/** v86.d.ts does not type the bus; frames into the NIC go through it. */
interface V86Bus {
  send(event: 'net0-receive', frame: Uint8Array): void;
}

/** The NE2000's receive ring registers, in 256-byte pages (v86's Ne2k device, untyped in v86.d.ts). */
interface Ne2kRing {
  curpg: number;
  boundary: number;
  pstart: number;
  pstop: number;
}

/** What the guest's NIC can take now: bytes (an NE2000's ring) and frames (virtio's posted receive buffers). */
export interface NicRoom {
  bytes: number;
  frames: number;
}

/** v86's virtio-net receive queue (untyped in v86.d.ts): the buffers the guest posted and the device has not used. */
interface VirtQueue {
  enabled: boolean;
  avail_addr: number;
  count_requests(): number;
}

/** The MTU v86's virtio-net offers the guest: 64 KiB frames cost the emulator one copy where 1500-byte ones cost 44. */
const VIRTIO_MTU = 65535;

/** The MTU of the link to a guest with this NIC. */
export function nicMtu(nic: 'ne2k' | 'virtio' | undefined): number {
  return nic === 'virtio' ? VIRTIO_MTU : 1500;
}
/** Device status bit: the guest's driver has set the device up (virtio 1.0 DRIVER_OK). */
const DRIVER_OK = 4;

/** The devices nicRoom() reads. */
interface V86Devices {
  net?: Ne2kRing;
  virtio_net?: { virtio: { device_status: number; queues: VirtQueue[] } };
}

/** VGA memory is saved raw in every snapshot, and appliances have no screen. */
const VGA_MEMORY = 256 * 1024;
const READY_TIMEOUT_MS = 30_000;

/** What v86 starts from: a saved state, a bzImage or a multiboot ELF. */
function bootSource(options: EmulatorOptions): Partial<V86Options> {
  if (options.state) return { initial_state: { buffer: options.state }, preserve_mac_from_state_image: true };
  if (options.cdrom) return { cdrom: { buffer: options.cdrom } };
  if (!options.kernel) throw new Error('nothing to boot: pass a kernel or a saved state');
  return options.bzimage ? { bzimage: { buffer: options.kernel } } : { multiboot: { buffer: options.kernel } };
}

/** A running v86 machine: a multiboot kernel with no BIOS, a Linux bzImage after a BIOS, or a resumed state. */
export class Emulator {
  private constructor(private readonly v86: V86) {}

  /** Starts the machine; resolves once the emulator runs the kernel. */
  static start(options: EmulatorOptions): Promise<Emulator> {
    const v86 = new V86({
      wasm_path: options.wasmPath,
      ...bootSource(options),
      ...(options.initrd && { initrd: { buffer: options.initrd } }),
      ...(options.bios && { bios: { buffer: options.bios } }),
      ...(options.vgaBios && { vga_bios: { buffer: options.vgaBios } }),
      ...(options.cmdline !== undefined && { cmdline: options.cmdline }),
      net_device: options.nic === 'virtio' ? { type: 'virtio', mtu: VIRTIO_MTU } : { type: 'ne2k' },
      memory_size: options.memory,
      vga_memory_size: VGA_MEMORY,
      autostart: true,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
    });
    v86.add_listener('serial0-output-byte', options.onSerial);
    if (options.onReady) v86.add_listener('emulator-ready', options.onReady);
    const onFrame = options.onFrame;
    if (onFrame) v86.add_listener('net0-send', (frame) => onFrame(frame.slice()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void v86.destroy();
        reject(new Error(`v86 did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      v86.add_listener('emulator-started', () => {
        clearTimeout(timer);
        resolve(new Emulator(v86));
      });
    });
  }

  /** Sends bytes to the guest's COM1. */
  sendSerial(data: Uint8Array): void {
    this.v86.serial_send_bytes(0, data);
  }

  /** Writes bytes into guest RAM at a physical address. */
  writeMemory(address: number, bytes: Uint8Array): void {
    this.v86.write_memory(bytes, address);
  }

  /** Delivers a frame to the guest's NIC. */
  receiveFrame(frame: Uint8Array): void {
    (this.v86 as unknown as { bus: V86Bus }).bus.send('net0-receive', frame);
  }

  /**
   * What the guest's NIC can take now, or undefined if it does not tell: v86 drops a frame that does not fit
   * the NE2000's ring or finds no virtio receive buffer posted (and a virtio frame sent before the driver set
   * the queue up lands wherever the queue's addresses point), so the host holds frames back (worker/net-link.ts).
   */
  nicRoom(): NicRoom | undefined {
    const devices = (this.v86 as unknown as { v86?: { cpu?: { devices?: V86Devices } } }).v86?.cpu?.devices;
    const virtio = devices?.virtio_net?.virtio;
    if (virtio) {
      const queue = virtio.queues[0];
      const up =
        (virtio.device_status & DRIVER_OK) !== 0 && queue !== undefined && queue.enabled && queue.avail_addr !== 0;
      return { bytes: Infinity, frames: up ? queue.count_requests() : 0 };
    }
    const nic = devices?.net;
    if (!nic || typeof nic.curpg !== 'number' || nic.boundary === 0) return undefined;
    const pages =
      nic.boundary > nic.curpg ? nic.boundary - nic.curpg : nic.pstop - nic.curpg + nic.boundary - nic.pstart;
    return { bytes: pages * 256, frames: Infinity };
  }

  /** The whole machine state (RAM, devices) as v86 saves it. */
  saveState(): Promise<ArrayBuffer> {
    return this.v86.save_state();
  }

  /** Stops the machine and frees its memory. */
  async destroy(): Promise<void> {
    await this.v86.destroy();
  }
}
