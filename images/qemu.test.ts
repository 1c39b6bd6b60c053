// The same image boots on QEMU (SeaBIOS + its multiboot loader) as in v86 (no BIOS).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const IMAGE = fileURLToPath(new URL('../public/images/hello.elf', import.meta.url));

test('hello boots under qemu-system-i386 -kernel and answers on its serial console', async () => {
  const qemu = spawn(
    'qemu-system-i386',
    [
      '-kernel',
      IMAGE,
      '-append',
      'engine=qemu',
      '-m',
      '32',
      '-display',
      'none',
      '-serial',
      'stdio',
      '-no-reboot',
      '-nodefaults',
    ],
    { stdio: 'pipe' },
  );
  let output = '';
  qemu.stdout.on('data', (d: Buffer) => (output += d.toString('latin1')));
  qemu.stderr.on('data', (d: Buffer) => (output += d.toString('latin1')));
  const until = (pattern: RegExp, ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const start = Date.now();
      const check = (): void => {
        if (pattern.test(output)) resolve();
        else if (Date.now() - start > ms || qemu.exitCode !== null)
          reject(new Error(`no ${pattern} from QEMU:\n${output}`));
        else setTimeout(check, 20);
      };
      check();
    });
  try {
    await until(/READY hello/, 30_000);
    assert.match(output, /engine=qemu/);
    qemu.stdin.write('uptime\r');
    await until(/up \d+\.\d+ s/, 10_000);
  } finally {
    qemu.kill();
  }
});
