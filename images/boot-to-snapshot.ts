// The build scripts' snapshot step (linux/build.ts, js/snapshot.ts): boot a machine cold until its
// console prints `@snapshot` alone on a line, and save it there.
import { v86Module } from '../cli/node-host.ts';
import { Emulator, type EmulatorOptions } from '../worker/emulator.ts';

/** Boots `options` until `@snapshot`, then returns the machine's state; fails after `timeoutMs` with the console's tail. */
export async function bootToSnapshot(
  options: Omit<EmulatorOptions, 'wasm' | 'onSerial'>,
  timeoutMs: number,
): Promise<Uint8Array> {
  let output = '';
  let reached: () => void = () => {};
  const atSnapshot = new Promise<void>((resolve) => (reached = resolve));
  const emulator = await Emulator.start({
    ...options,
    wasm: await v86Module(),
    onSerial: (byte) => {
      output += String.fromCharCode(byte);
      if (/^@snapshot\r?$/m.test(output.slice(-12))) reached();
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      atSnapshot,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no @snapshot within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return new Uint8Array(await emulator.saveState());
  } catch (error) {
    throw new Error(`${(error as Error).message}; the console said:\n${output.slice(-4000)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    await emulator.destroy();
  }
}
