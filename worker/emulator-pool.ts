// Where a worker's machines come from: v86.wasm compiled once, a pool of one machine built ahead (prepare), and the
// images of the boot it waits for, fetched ahead.
import { BlankMachine, type StartStage } from './emulator.ts';
import type { MachineShape } from './protocol.ts';
import { savedMemorySize } from './shape.ts';

/** What the pool needs from its host (MachineHost). */
export interface PoolHost {
  v86Module(): Promise<WebAssembly.Module>;
  loadImage(path: string): Promise<ArrayBuffer>;
}

/**
 * A stage of a machine's start, or where its machine came from: `warm-emulator`, the one built ahead;
 * `warm-emulator-unfit`, one was built ahead but of another shape (or the saved state has other RAM), so one is built
 * now; `warm-emulator-failed`, the one asked for ahead could not be built, so one is built now.
 */
export type PoolStage = StartStage | 'warm-emulator' | 'warm-emulator-unfit' | 'warm-emulator-failed';

/** One worker's (or one Node machine's) v86 machines: one waits built ahead at most. */
export class EmulatorPool {
  /** v86.wasm as prepare() was given it, else as the host compiles it. */
  private wasm: Promise<WebAssembly.Module> | undefined;
  /** The machine built ahead for the next boot (undefined once given up on). */
  private spare: Promise<BlankMachine | undefined> | undefined;
  /** Gives up on the spare being built. */
  private spareFailed: () => void = () => {};
  /** Images fetched ahead, by path, each for one load. */
  private readonly prefetched = new Map<string, Promise<ArrayBuffer>>();

  constructor(private readonly host: PoolHost) {}

  /** MachineApi.prepare: takes `wasm`, fetches `prefetch`, builds a machine of `shape`; true once one waits. */
  async prepare(options: { wasm?: WebAssembly.Module; shape?: MachineShape; prefetch?: string[] }): Promise<boolean> {
    if (options.wasm) this.wasm = Promise.resolve(options.wasm);
    for (const path of options.prefetch ?? []) {
      const image = this.host.loadImage(path);
      image.catch(() => {}); // a boot that loads it hears why it failed
      this.prefetched.set(path, image);
    }
    if (!options.shape) return false;
    this.dispose();
    const shape = options.shape;
    // v86 fails from its own timers while it builds (out of memory, say): failed() gives up on the spare.
    const failed = new Promise<undefined>((resolve) => (this.spareFailed = () => resolve(undefined)));
    const built = this.v86Module().then((wasm) => BlankMachine.build(shape, wasm));
    const spare = Promise.race([built, failed]).catch(() => undefined);
    this.spare = spare;
    return (await spare) !== undefined;
  }

  /** v86.wasm, compiled once. */
  v86Module(): Promise<WebAssembly.Module> {
    this.wasm ??= this.host.v86Module();
    return this.wasm;
  }

  /** An image by its catalog path: the one fetched ahead, else fetched now. */
  loadImage(path: string): Promise<ArrayBuffer> {
    const ahead = this.prefetched.get(path);
    this.prefetched.delete(path);
    return ahead ?? this.host.loadImage(path);
  }

  /**
   * A machine of `shape`: the spare if it fits (stage `warm-emulator`), else one built now (after stage
   * `warm-emulator-unfit` or `warm-emulator-failed` if one was asked for ahead).
   */
  async machine(shape: MachineShape, onStage: (stage: PoolStage) => void): Promise<BlankMachine> {
    const asked = this.spare !== undefined;
    const spare = await this.spare;
    this.spare = undefined;
    if (spare?.fits(shape)) {
      onStage('warm-emulator');
      return spare;
    }
    if (asked) onStage(spare ? 'warm-emulator-unfit' : 'warm-emulator-failed');
    void spare?.destroy();
    return BlankMachine.build(shape, await this.v86Module(), onStage);
  }

  /**
   * `blank`, or if `state` ran with other RAM (a catalog snapshot or a machine saved before the appliance changed
   * size) a machine of that RAM, after stage `warm-emulator-unfit`.
   */
  async sizedFor(blank: BlankMachine, state: ArrayBuffer | undefined, onStage: (stage: PoolStage) => void) {
    const memory = state && savedMemorySize(state);
    if (memory === undefined || blank.fits({ ...blank.shape, memory })) return blank;
    onStage('warm-emulator-unfit');
    void blank.destroy();
    return BlankMachine.build({ ...blank.shape, memory }, await this.v86Module(), onStage);
  }

  /** v86 failed from its own timers: a spare being built is given up. */
  failed(): void {
    this.spareFailed();
  }

  /** Frees the spare, if one waits. */
  dispose(): void {
    void this.spare?.then((spare) => spare?.destroy());
    this.spare = undefined;
  }
}
