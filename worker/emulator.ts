// The one adapter to v86: everything else deals in bytes, frames and plain objects.
import { V86, type V86Options } from 'v86';
import { loadMultiboot, type Loaded } from './multiboot.ts';
import type { MachineShape } from './protocol.ts';
import { sameShape } from './shape.ts';
import { sharePortEntries } from './v86-ports.ts';
import { readV86State, SAVED_PAGES, SAVED_PAGES_BITMAP, unpackPages } from './v86-state.ts';
import { waitInThread, type V86Loop } from './v86-yield.ts';

export interface EmulatorOptions {
  /** The multiboot ELF, or a Linux bzImage if `bzimage` is set; unused when resuming a `state`. */
  kernel?: ArrayBuffer;
  /** `kernel` is a Linux bzImage: v86 loads it as an option ROM that only a `bios` runs. */
  bzimage?: boolean;
  /** A machine saved by saveState() to resume instead of booting; its NIC keeps the saved MAC unless `freshMac`. */
  state?: ArrayBuffer;
  /**
   * The `state` was saved before the guest read its MAC (a catalog snapshot taken before the network came up):
   * its NIC takes this machine's own random MAC, so that several machines resumed from it differ on a LAN.
   */
  freshMac?: boolean;
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
  /** v86.wasm, compiled once per page or process (compileV86) and instantiated per machine. */
  wasm: WebAssembly.Module;
  onSerial(byte: number): void;
  /** A frame the guest's NIC sent (a copy: v86 hands out a view into NIC memory). */
  onFrame?(frame: Uint8Array): void;
  /** The guest's network card (default ne2k). */
  nic?: 'ne2k' | 'virtio';
  /** A stage of v86's start (StartStage), as it passes. */
  onStage?(stage: StartStage): void;
}

/**
 * The stages of v86's start: its wasm instantiated (from the compiled module), then the machine set up (guest RAM
 * allocated, devices built: v86's emulator-ready), then the image in guest RAM (a kernel loaded or a state restored).
 */
export type StartStage = 'wasm-instantiated' | 'wasm-ready' | 'image-in-memory' | 'emulator-started';

/** What a BlankMachine loads: a multiboot kernel with its module and command line, or a saved state. */
export type LoadOptions = Pick<
  EmulatorOptions,
  'kernel' | 'state' | 'freshMac' | 'initrd' | 'cmdline' | 'onSerial' | 'onFrame' | 'onStage'
>;

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

/** The parts of v86's CPU that Emulator.load() uses on a machine built ahead (untyped in v86.d.ts). */
interface V86Cpu {
  /** Guest RAM. */
  mem8: Uint8Array;
  reg32: Int32Array;
  cr: Int32Array;
  flags: Int32Array;
  protected_mode: Int32Array;
  is_32: Int32Array;
  stack_size_32: Int32Array;
  segment_is_null: Uint8Array;
  segment_offsets: Int32Array;
  segment_limits: Uint32Array;
  sreg: Uint16Array;
  instruction_pointer: Int32Array;
  get_seg_cs(): number;
  update_state_flags(): void;
  /** v86.wasm's exports, read_tsc among them (what the guest's RDTSC returns). */
  wm: { exports: { read_tsc(): bigint } };
  zero_memory(address: number, length: number): void;
  /** Puts a saved state's pages into RAM: the bitmap of saved pages, then the pages. */
  unpack_memory(bitmap: unknown, pages: Uint8Array): void;
  /** Takes a saved state's tree (what v86's restore_state reads from the bytes, v86-state.ts). */
  set_state(tree: unknown[]): void;
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

/** Whether a restore takes the MAC from the state (v86's preserve_mac_from_state_image, a property of each NIC). */
interface MacPolicy {
  preserve_mac_from_state_image: boolean;
}

/** The devices nicRoom() and Emulator.load() read. */
interface V86Devices {
  net?: Ne2kRing & MacPolicy;
  virtio_net?: MacPolicy & { virtio: { device_status: number; queues: VirtQueue[] } };
  /** Redraws the whole screen into v86's screen adapter (its text mode: 2 000 characters, each through v86's bus). */
  vga?: { complete_redraw(): void };
}

/** The MTU v86's virtio-net offers the guest: 64 KiB frames cost the emulator one copy where 1500-byte ones cost 44. */
const VIRTIO_MTU = 65535;
/** Device status bit: the guest's driver has set the device up (virtio 1.0 DRIVER_OK). */
const DRIVER_OK = 4;

/** The MTU of the link to a guest with this NIC. */
export function nicMtu(nic: 'ne2k' | 'virtio' | undefined): number {
  return nic === 'virtio' ? VIRTIO_MTU : 1500;
}

/** VGA memory is saved raw in every snapshot, and appliances have no screen. */
const VGA_MEMORY = 256 * 1024;
const READY_TIMEOUT_MS = 30_000;
const EAX = 0;
const EBX = 3;
const CS = 1;
/** EAX at a multiboot kernel's entry. */
const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;

type MachineOptions = Pick<EmulatorOptions, 'memory' | 'nic' | 'wasm' | 'onStage'> & {
  /** v86.wasm could not be instantiated. */
  onFailure?(error: unknown): void;
};

/** The machine v86 builds: RAM, devices (an NE2000 or a virtio-net card, no keyboard, mouse or speaker), no screen. */
function machineOptions(options: MachineOptions): V86Options {
  return {
    // v86 does not catch a failed instantiation: report it (onFailure) and never hand v86 the exports.
    wasm_fn: (imports: WebAssembly.Imports) =>
      WebAssembly.instantiate(options.wasm, imports)
        .then((instance) => {
          if (typeof instance.exports['rust_init'] !== 'function') throw new Error('this wasm module is not v86.wasm');
          options.onStage?.('wasm-instantiated');
          return instance.exports;
        })
        .catch((error: unknown) => {
          options.onFailure?.(error);
          return new Promise<WebAssembly.Exports>(() => {});
        }),
    net_device: options.nic === 'virtio' ? { type: 'virtio', mtu: VIRTIO_MTU } : { type: 'ne2k' },
    memory_size: options.memory,
    vga_memory_size: VGA_MEMORY,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  };
}

/**
 * A new v86 machine, its empty I/O ports sharing one entry (v86-ports.ts); once v86 has set it up it waits between
 * slices in this thread (v86-yield.ts).
 */
function newV86(options: V86Options): V86 {
  sharePortEntries();
  const v86 = new V86(options);
  v86.add_listener('emulator-ready', () => waitInThread((v86 as unknown as { v86: V86Loop }).v86));
  return v86;
}

/**
 * Turns v86's serial and NIC events into the typed callbacks, and tells when it starts: as it happens, since its first
 * slice may run before anything awaiting the start does.
 */
function listen(v86: V86, options: Pick<EmulatorOptions, 'onSerial' | 'onFrame' | 'onStage'>): void {
  v86.add_listener('serial0-output-byte', options.onSerial);
  v86.add_listener('emulator-started', () => options.onStage?.('emulator-started'));
  const onFrame = options.onFrame;
  if (onFrame) v86.add_listener('net0-send', (frame) => onFrame(frame.slice()));
}

/** Resolves once v86 sends `event`; rejects after READY_TIMEOUT_MS, destroying the machine. */
function waitFor(v86: V86, event: 'emulator-ready' | 'emulator-started', failed?: Promise<never>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void v86.destroy();
      reject(new Error(`v86 did not start within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    v86.add_listener(event, () => {
      clearTimeout(timer);
      resolve();
    });
    failed?.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

/** Compiles v86.wasm's bytes, for a host that holds them (Node): once per process, then every machine instantiates it. */
export function compileV86(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytes);
}

/**
 * Puts the CPU where multiboot starts a kernel (as v86's own loader does): 32-bit protected mode with paging off, flat
 * 4 GiB segments (CS 0x08, the others 0x10), interrupts off, EAX the magic, EBX the boot information.
 */
function enterMultiboot(cpu: V86Cpu, { entry, info }: Loaded): void {
  cpu.reg32[EAX] = MULTIBOOT_BOOTLOADER_MAGIC;
  cpu.reg32[EBX] = info;
  cpu.cr[0] = 1;
  cpu.protected_mode[0] = 1;
  cpu.flags[0] = 2; // the reserved bit 1, always set
  cpu.is_32[0] = 1;
  cpu.stack_size_32[0] = 1;
  for (let segment = 0; segment < 6; segment++) {
    cpu.segment_is_null[segment] = 0;
    cpu.segment_offsets[segment] = 0;
    cpu.segment_limits[segment] = 0xffffffff;
    cpu.sreg[segment] = segment === CS ? 0x08 : 0x10;
  }
  cpu.instruction_pointer[0] = (cpu.get_seg_cs() + entry) | 0;
  cpu.update_state_flags();
}

/**
 * Gives v86 the real step of its clock before the guest reads the TSC. Between two ticks of a coarse host clock (a
 * browser's performance.now() moves in 100 µs steps) v86 extrapolates RDTSC by the step it last saw between two
 * readings; on a machine that never read it, that is the first reading itself, the time since the machine was built.
 * A guest that reads the TSC twice within one tick (a kernel entering in microseconds, on a machine built seconds
 * before) then saw it leap forward by seconds and come back. Two readings a tick apart, here: at most one tick of
 * waiting.
 */
function settleTsc(cpu: V86Cpu): void {
  cpu.wm.exports.read_tsc();
  const tick = performance.now();
  let now = tick;
  while (now === tick) now = performance.now();
  cpu.wm.exports.read_tsc();
}

/** What v86 starts from: a saved state, a bzImage or a multiboot ELF. */
function bootSource(options: EmulatorOptions): Partial<V86Options> {
  if (options.state) {
    return { initial_state: { buffer: options.state }, preserve_mac_from_state_image: !options.freshMac };
  }
  if (options.cdrom) return { cdrom: { buffer: options.cdrom } };
  if (!options.kernel) throw new Error('nothing to boot: pass a kernel or a saved state');
  return options.bzimage ? { bzimage: { buffer: options.kernel } } : { multiboot: { buffer: options.kernel } };
}

/** A running v86 machine: a multiboot kernel with no BIOS, a Linux bzImage after a BIOS, or a resumed state. */
export class Emulator {
  private constructor(
    private readonly v86: V86,
    /** Whether v86 runs: Emulator.start() runs it, Emulator.load() leaves that to run(). */
    private running: boolean,
  ) {}

  /** Starts the machine from nothing (a BIOS, a bzImage, a CD, or any image); resolves once the emulator runs. */
  static async start(options: EmulatorOptions): Promise<Emulator> {
    const v86 = newV86({
      ...machineOptions(options),
      ...bootSource(options),
      ...(options.initrd && { initrd: { buffer: options.initrd } }),
      ...(options.bios && { bios: { buffer: options.bios } }),
      ...(options.vgaBios && { vga_bios: { buffer: options.vgaBios } }),
      ...(options.cmdline !== undefined && { cmdline: options.cmdline }),
      autostart: true,
    });
    listen(v86, options);
    if (options.onStage) v86.add_listener('emulator-ready', () => options.onStage?.('wasm-ready'));
    await waitFor(v86, 'emulator-started');
    return new Emulator(v86, true);
  }

  /**
   * Loads a kernel or a state into a machine built ahead, without running it yet (run()). The machine never ran (a
   * BlankMachine is taken once), so its RAM is all zero: both loads count on it.
   */
  static async load(blank: BlankMachine, options: LoadOptions): Promise<Emulator> {
    const v86 = blank.take();
    listen(v86, options);
    const cpu = (v86 as unknown as { v86: { cpu: V86Cpu & { devices: V86Devices } } }).v86.cpu;
    if (options.state) {
      for (const nic of [cpu.devices.net, cpu.devices.virtio_net]) {
        if (nic) nic.preserve_mac_from_state_image = !options.freshMac;
      }
      // v86 zeroes all guest RAM before it unpacks the saved pages (touching every page: most of a restore's time).
      // A machine that never ran has fresh, zeroed RAM: skip it. Then it asks its bitmap about every page of RAM
      // (a call each, ~1 ms for 16 MiB in a fresh worker's interpreter): unpackPages reads the bitmap a byte at a
      // time. It also redraws the screen twice (a third of what is left in a fresh worker, whose JIT has not met that
      // code): an appliance has no screen, skip that too. The state is read here (v86-state.ts), not by v86's
      // restore_state: it would copy the saved RAM and VGA memory into new ArrayBuffers that set_state copies again,
      // and in Node those allocations cost young-generation GCs.
      const { zero_memory: zero, unpack_memory: unpack } = cpu;
      const vga = cpu.devices.vga;
      const redraw = vga?.complete_redraw;
      cpu.zero_memory = () => {};
      if (vga) vga.complete_redraw = () => {};
      try {
        const tree = readV86State(options.state);
        if (tree) {
          cpu.unpack_memory = () => unpackPages(cpu.mem8, tree[SAVED_PAGES_BITMAP], tree[SAVED_PAGES]);
          cpu.set_state(tree);
        } else await v86.restore_state(options.state);
      } finally {
        cpu.zero_memory = zero;
        cpu.unpack_memory = unpack;
        if (vga && redraw) vga.complete_redraw = redraw;
      }
    } else if (options.kernel) {
      try {
        enterMultiboot(cpu, loadMultiboot(cpu.mem8, options.kernel, options.cmdline ?? '', options.initrd));
      } catch (error) {
        void v86.destroy();
        throw new Error(`the appliance's image cannot boot: ${(error as Error).message}`, { cause: error });
      }
    } else {
      throw new Error('nothing to boot: pass a kernel or a saved state');
    }
    settleTsc(cpu);
    return new Emulator(v86, false);
  }

  /** Runs the machine Emulator.load() filled; resolves once the emulator runs (at once if it does already). */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const started = waitFor(this.v86, 'emulator-started');
    await this.v86.run();
    await started;
  }

  /** Sends bytes to the guest's COM1. */
  sendSerial(data: Uint8Array): void {
    this.v86.serial_send_bytes(0, data);
  }

  /** Writes bytes into guest RAM at a physical address. */
  writeMemory(address: number, bytes: Uint8Array): void {
    this.v86.write_memory(bytes, address);
  }

  /** Reads `length` bytes of guest RAM at a physical address (a copy). */
  readMemory(address: number, length: number): Uint8Array {
    return this.v86.read_memory(address, length).slice();
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

/**
 * A v86 machine built ahead with nothing in it (wasm instantiated, guest RAM allocated, devices made), so that a boot
 * only loads its image (Emulator.load). It waits without running: no timers, no CPU. Runs one image, once.
 */
export class BlankMachine {
  private v86: V86 | undefined;

  private constructor(
    v86: V86,
    readonly shape: MachineShape,
  ) {
    this.v86 = v86;
  }

  /** Builds a machine of `shape`; resolves once v86 has set it up. */
  static async build(
    shape: MachineShape,
    wasm: WebAssembly.Module,
    onStage?: (stage: StartStage) => void,
  ): Promise<BlankMachine> {
    let onFailure: (error: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => (onFailure = reject));
    // A restored state keeps its NIC's MAC (else the guest's unicast frames are dropped); a kernel boot is unaffected.
    const v86 = newV86({
      ...machineOptions({ ...shape, wasm, onStage, onFailure }),
      preserve_mac_from_state_image: true,
      autostart: false,
    });
    await waitFor(v86, 'emulator-ready', failed);
    onStage?.('wasm-ready');
    return new BlankMachine(v86, shape);
  }

  /** Whether a machine of `shape` is what this one is. */
  fits(shape: MachineShape): boolean {
    return sameShape(this.shape, shape);
  }

  /** Hands the machine over (to Emulator.load); throws if it was taken or destroyed. */
  take(): V86 {
    const v86 = this.v86;
    if (!v86) throw new Error('this machine was used already: build another');
    this.v86 = undefined;
    return v86;
  }

  /** Frees the machine unless it was taken. */
  async destroy(): Promise<void> {
    const v86 = this.v86;
    this.v86 = undefined;
    await v86?.destroy();
  }
}
