// Appliance boot tests in Node: each appliance boots with no BIOS, prints READY, and answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { MachineEvent } from '../worker/protocol.ts';

interface BootCase {
  id: string;
  cmdline?: string;
  /** What the console shows by READY. */
  banner: RegExp[];
  /** Lines typed after READY, each with the answer it must produce. */
  commands: { send: string; answer: RegExp }[];
}

const CASES: BootCase[] = [
  {
    id: 'hello',
    cmdline: 'greeting=tabcloud-test',
    banner: [
      /hello/i,
      /boot(ed)? .*\d+(\.\d+)? ms/i,
      /mem(ory)?.*\d+ (KiB|MiB)/i,
      /greeting=tabcloud-test/,
      /^READY hello\r?$/m,
    ],
    commands: [
      { send: 'uptime\r', answer: /up \d+\.\d+ s/ },
      { send: 'mem\n', answer: /total.*\d+ (KiB|MiB)/i },
      { send: 'help\r', answer: /uptime[\s\S]*mem/ },
      { send: 'nosuchcommand\r', answer: /unknown command/i },
    ],
  },
  {
    id: 'kv',
    banner: [
      /^@boot nic \d+\.\d{3}\r?$/m,
      /^@boot dhcp-bound \d+\.\d{3}\r?$/m,
      /^@boot listening \d+\.\d{3}\r?$/m,
      /^kv listening on http:\/\/10\.0\.2\.15:80\/\r?\nREADY kv\r?$/m,
    ],
    commands: [
      {
        send: 'net\r',
        answer: /ip +10\.0\.2\.15\/24 via dhcp[\s\S]*10\.0\.2\.2 +[0-9a-f:]{17}[\s\S]*tcp \*:80 LISTEN/,
      },
      { send: 'help\r', answer: /uptime[\s\S]*mem[\s\S]*net/ },
      { send: 'uptime\r', answer: /up \d+\.\d+ s, idle/ },
    ],
  },
  {
    id: 'static',
    banner: [
      /^static: no user-data: serving the built-in site\r?$/m,
      /^@boot site \d+\.\d{3}\r?$/m,
      /^@boot listening \d+\.\d{3}\r?$/m,
      /^static listening on http:\/\/10\.0\.2\.15:80\/\r?\nREADY static\r?$/m,
    ],
    commands: [
      { send: 'files\r', answer: /"[0-9a-f]+-[0-9a-f]{8}" \/index\.html \(built-in\)[\s\S]*\/404\.html \(built-in\)/ },
      { send: 'help\r', answer: /net[\s\S]*files/ },
    ],
  },
];

/** Waits until the console output matches. */
function waitFor(output: () => string, pattern: RegExp, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const check = (): void => {
      if (pattern.test(output())) resolve();
      else if (Date.now() - start > ms) reject(new Error(`console never matched ${pattern}:\n${output()}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

for (const c of CASES) {
  test(`${c.id} boots to READY and answers its console`, async () => {
    const appliance = (await loadCatalog()).find((a) => a.id === c.id);
    assert.ok(appliance, `${c.id} is in the catalog`);
    const machine = createNodeMachine();
    let output = '';
    const listener = (event: MachineEvent): void => {
      if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
    };
    try {
      const status = await machine.boot({ appliance, ...(c.cmdline && { cmdline: c.cmdline }) }, listener);
      assert.equal(status.state, 'ready');
      assert.ok(status.timeline.host['ready']! > 0, 'host saw READY');
      assert.ok(status.timeline.guest['ready']! >= 0, 'guest printed its ready stage');
      for (const pattern of c.banner) await waitFor(() => output, pattern);
      for (const { send, answer } of c.commands) {
        const before = output.length;
        machine.sendSerial(send);
        await waitFor(() => output.slice(before), answer);
      }
    } finally {
      await machine.stop();
    }
    assert.equal(machine.status().state, 'stopped');
  });
}

test('a missing image is a clear error, not a hang', async () => {
  const machine = createNodeMachine();
  const appliance = {
    id: 'ghost',
    title: 'Ghost',
    summary: '',
    memory: 16 << 20,
    ports: [],
    image: 'images/ghost.elf',
  };
  await assert.rejects(
    machine.boot({ appliance }, () => {}),
    { name: 'image-not-found', message: /npm run build:images/ },
  );
  assert.equal(machine.status().state, 'crashed');
});

test('a guest that crashes is reported as crashed with its fault, and stopped', async () => {
  const appliance = (await loadCatalog()).find((a) => a.id === 'hello')!;
  const machine = createNodeMachine();
  const states: string[] = [];
  // Each change of state once (a status event may also bring news within a state, e.g. its LAN address).
  const changed = (state: string) => states.at(-1) !== state && states.push(state);
  await machine.boot({ appliance }, (event) => event.type === 'status' && changed(event.status.state));
  machine.sendSerial('crash\r');
  await waitFor(() => machine.status().state, /crashed/);
  const { error } = machine.status();
  assert.equal(error?.code, 'guest-crashed');
  assert.match(error?.message ?? '', /cpu exception 0 \(#DE divide error\) eip 0x[0-9a-f]+/);
  assert.deepEqual(states, ['booting', 'ready', 'crashed']);
  assert.throws(() => machine.sendSerial('help\r'), { name: 'not-running' });
});

test('an image whose manifest names another id times out saying which id it printed', async () => {
  const hello = (await loadCatalog()).find((a) => a.id === 'hello')!;
  const appliance = { ...hello, id: 'mine' };
  const machine = createNodeMachine();
  await assert.rejects(
    machine.boot({ appliance, readyTimeoutMs: 3000 }, () => {}),
    {
      name: 'boot-timeout',
      message:
        /mine did not print READY mine within 3000 ms: it printed READY hello, so its appliance.json must say "id": "hello"/,
    },
  );
  await machine.stop();
});
