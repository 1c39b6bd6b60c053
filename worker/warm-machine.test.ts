// Booting on a machine built ahead (Machine.prepare): warm boots, resumes, and the cold start they fall back to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeMachine, loadCatalog, nodeMachineHost, v86Module } from '../cli/node-host.ts';
import { BlankMachine, Emulator } from './emulator.ts';
import { HttpClient } from './net/http-client.ts';
import type { ApplianceSpec, MachineEvent, MachineShape } from './protocol.ts';
import { encodeMachine, gzip } from './saved-machine.ts';
import { Machine } from './machine.ts';
import { machineShape, savedMemorySize } from './shape.ts';
import { readV86State, SAVED_PAGES, SAVED_PAGES_BITMAP } from './v86-state.ts';

const catalog = await loadCatalog();
const kv = catalog.find((a) => a.id === 'kv')!;
const hello = catalog.find((a) => a.id === 'hello')!;
const kvShape = machineShape(kv)!;
/** The smallest valid wasm module: it compiles and instantiates, but it is not v86. */
const NOT_V86 = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));

/** Boots `appliance` after prepare(`options`); returns the host stages of its timeline and the machine. */
async function bootAfter(appliance: ApplianceSpec, options: { wasm?: WebAssembly.Module; shape?: MachineShape }) {
  const machine = createNodeMachine();
  const prepared = await machine.prepare(options);
  const status = await machine.boot({ appliance }, () => {});
  return { machine, prepared, stages: Object.keys(status.timeline.host), state: status.state };
}

/** kv's answer to `method /keys/<key>` (with `value` as the body), as text, from the host's side of its network. */
async function kvKey(machine: Machine, key: string, method: 'GET' | 'PUT', value?: string): Promise<string> {
  const http = new HttpClient(machine.network!);
  const body = value === undefined ? undefined : new TextEncoder().encode(value);
  const response = await http.request({
    ip: machine.network!.guest!.ip,
    port: 80,
    method,
    path: `/keys/${key}`,
    ...(body && { body }),
  });
  const text = new TextDecoder().decode(await response.body.bytes());
  http.close();
  return text;
}

const putKey = (machine: Machine, key: string, value: string) => kvKey(machine, key, 'PUT', value);
const getKey = (machine: Machine, key: string) => kvKey(machine, key, 'GET');

test('machines of one process share one compiled v86.wasm', async () => {
  assert.equal(await v86Module(), await v86Module());
});

test('a boot of the prepared shape starts on the warm machine: no v86 set-up in its timeline', async () => {
  const { machine, prepared, stages, state } = await bootAfter(kv, { shape: kvShape });
  assert.equal(prepared, true);
  assert.equal(state, 'ready');
  assert.ok(stages.includes('warm-emulator'), stages.join());
  assert.ok(!stages.includes('wasm-ready'), stages.join());
  await machine.stop();
});

test('a boot of another shape, or with no machine prepared, sets v86 up itself', async () => {
  for (const options of [{ shape: kvShape }, {}]) {
    const { machine, stages, state } = await bootAfter(hello, options);
    assert.equal(state, 'ready');
    assert.ok(!stages.includes('warm-emulator'), stages.join());
    assert.ok(stages.includes('wasm-instantiated') && stages.includes('wasm-ready'), stages.join());
    // The timeline says why: a machine waited but was of another shape, or none was asked for.
    assert.equal(stages.includes('warm-emulator-unfit'), options.shape !== undefined, stages.join());
    await machine.stop();
  }
});

test('a machine that cannot be built is reported at once, and the boot starts cold', async () => {
  const machine = createNodeMachine();
  assert.equal(await machine.prepare({ wasm: NOT_V86, shape: kvShape }), false);
  // The worker's own module is gone too (the page's was not v86): a boot then fails with a reason, not a hang.
  const failed = await machine.boot({ appliance: kv }, () => {}).catch((error: Error) => error);
  assert.match(String(failed), /not v86\.wasm/);
  await machine.stop();
  const { machine: again, prepared, stages } = await bootAfter(kv, { wasm: await v86Module(), shape: kvShape });
  assert.equal(prepared, true);
  assert.ok(stages.includes('warm-emulator'));
  await again.stop();
});

test('v86 failing while it builds the spare gives it up at once, and the boot starts cold', async () => {
  const machine = createNodeMachine();
  const prepared = machine.prepare({ shape: kvShape });
  machine.emulatorFailed(new Error('out of memory'));
  assert.equal(await prepared, false);
  const status = await machine.boot({ appliance: kv }, () => {});
  assert.equal(status.state, 'ready');
  assert.ok('warm-emulator-failed' in status.timeline.host, Object.keys(status.timeline.host).join());
  assert.ok('wasm-ready' in status.timeline.host);
  await machine.stop();
});

test('a saved kv resumes on a warm machine and still has its data', async () => {
  const { machine } = await bootAfter(kv, {});
  await putKey(machine, 'warm', 'kept');
  const saved = await machine.saveState();
  await machine.stop();

  const resumed = createNodeMachine();
  assert.equal(await resumed.prepare({ shape: kvShape }), true);
  const status = await resumed.boot({ appliance: kv, resume: saved }, () => {});
  assert.ok('warm-emulator' in status.timeline.host);
  assert.equal(await getKey(resumed, 'warm'), 'kept');
  await resumed.stop();
});

test('a saved machine as the page stores it (gzip) resumes: its console tail comes first, its data is kept', async () => {
  const { machine } = await bootAfter(kv, {});
  await putKey(machine, 'stored', 'as stored');
  const tail = new TextEncoder().encode('the console as it was\r\n');
  const stored = await gzip(encodeMachine({ ...(await machine.saveState()), console: tail }));
  await machine.stop();

  const resumed = createNodeMachine();
  const events: MachineEvent[] = [];
  const status = await resumed.boot({ appliance: kv, savedMachine: stored }, (event) => events.push(event));
  assert.ok('snapshot-loaded' in status.timeline.host);
  assert.deepEqual(
    events.find((event) => event.type === 'serial'),
    { type: 'serial', data: tail },
  );
  assert.equal(await getKey(resumed, 'stored'), 'as stored');
  await resumed.stop();
});

test('a saved machine handed to prepare() is inflated there, and resumed by a boot that asks for it', async () => {
  const { machine: first } = await bootAfter(kv, {});
  await putKey(first, 'which', 'prepared');
  const stored = await gzip(encodeMachine({ ...(await first.saveState()), console: new Uint8Array() }));
  await first.stop();
  const inflated: number[] = [];
  const host = nodeMachineHost();
  const machine = new Machine({ ...host, gunzip: (bytes) => (inflated.push(bytes.byteLength), host.gunzip!(bytes)) });
  await machine.prepare({ shape: kvShape, savedMachine: stored });
  assert.deepEqual(inflated, [stored.length], 'inflated while the machine was prepared');
  await machine.boot({ appliance: kv, resumePrepared: true }, () => {});
  assert.equal(await getKey(machine, 'which'), 'prepared');
  assert.deepEqual(inflated, [stored.length], 'not inflated again');
  await machine.stop();

  const none = createNodeMachine();
  await assert.rejects(
    none.boot({ appliance: kv, resumePrepared: true }, () => {}),
    /kv: .*no saved machine to resume/,
  );
  await none.stop();
});

test('stored bytes that are not a saved machine fail the boot with what to do', async () => {
  const notGzip = new TextEncoder().encode('not a saved machine');
  const notMachine = await gzip(new TextEncoder().encode('TCSX and more'));
  for (const savedMachine of [notGzip, notMachine]) {
    const machine = createNodeMachine();
    await assert.rejects(
      machine.boot({ appliance: kv, savedMachine }, () => {}),
      (error: Error) => {
        assert.equal(error.name, 'emulator-failed');
        assert.match(error.message, /^kv: .*(damaged|not a saved Tabcloud machine).*Boot the appliance afresh/);
        return true;
      },
    );
    assert.equal(machine.status().state, 'crashed');
    await machine.stop();
  }
});

test('a state resumed on a warm machine has the RAM that v86 restoring it from nothing gives', async () => {
  const { machine } = await bootAfter(kv, {});
  const { state } = await machine.saveState();
  await machine.stop();
  const wasm = await v86Module();
  const fromNothing = await Emulator.start({ state, memory: kv.memory, nic: kvShape.nic, wasm, onSerial: () => {} });
  const warm = await Emulator.load(await BlankMachine.build(kvShape, wasm), { state, onSerial: () => {} });
  // The top of RAM: pages the state has not, which v86 zeroes in a restore and a machine built ahead has zero.
  const top = kv.memory - (4 << 20);
  assert.deepEqual(warm.readMemory(top, 4 << 20), fromNothing.readMemory(top, 4 << 20));
  // Every page as the state has it (the one from nothing has run since, so it is read from the state): saved page n
  // goes where the bitmap's n-th set bit says, every other page is zero.
  const tree = readV86State(state)!;
  const bitmap = tree[SAVED_PAGES_BITMAP] as Uint8Array;
  const pages = tree[SAVED_PAGES] as Uint8Array;
  const expected = new Uint8Array(kv.memory);
  for (let page = 0, next = 0; page < kv.memory >> 12; page++) {
    if (bitmap[page >> 3]! & (1 << (page & 7))) expected.set(pages.subarray(next << 12, ++next << 12), page << 12);
  }
  assert.ok(Buffer.from(warm.readMemory(0, kv.memory)).equals(expected), 'RAM as the saved pages say');
  await fromNothing.destroy();
  await warm.destroy();
});

test('a machine saved with other RAM resumes on a machine of its own size', async () => {
  const bigger = { ...kv, memory: kv.memory + (4 << 20) };
  const { machine } = await bootAfter(bigger, {});
  const saved = await machine.saveState();
  await machine.stop();
  const resumed = createNodeMachine();
  await resumed.prepare({ shape: kvShape });
  const status = await resumed.boot({ appliance: kv, resume: saved }, () => {});
  assert.equal(status.state, 'ready');
  const stages = Object.keys(status.timeline.host);
  assert.ok(stages.includes('warm-emulator-unfit') && stages.includes('wasm-ready'), stages.join());
  assert.equal(await keysStatus(resumed), 200);
  await resumed.stop();

  // Built ahead with the saved machine's RAM (what the page asks for once it has read it), it resumes warm.
  assert.deepEqual(machineShape(kv, saved.state), { ...kvShape, memory: bigger.memory });
  const ahead = createNodeMachine();
  assert.equal(await ahead.prepare({ shape: machineShape(kv, saved.state)! }), true);
  const warm = await ahead.boot({ appliance: kv, resume: saved }, () => {});
  assert.deepEqual(Object.keys(warm.timeline.host).slice(0, 2), ['warm-emulator', 'snapshot-loaded']);
  assert.equal(await keysStatus(ahead), 200);
  await ahead.stop();
});

test('a saved state tells its RAM; bytes that are not one tell nothing and the appliance keeps its own', async () => {
  const { machine } = await bootAfter(hello, {});
  const { state } = await machine.saveState();
  await machine.stop();
  assert.equal(savedMemorySize(state), hello.memory);
  const garbage = [new ArrayBuffer(0), new ArrayBuffer(64), new TextEncoder().encode('TCSM not a v86 state').buffer];
  for (const bytes of garbage) {
    assert.equal(savedMemorySize(bytes), undefined);
    assert.deepEqual(machineShape(kv, bytes), kvShape);
  }
});

/** The status of a GET of /keys on the machine's guest. */
async function keysStatus(machine: Machine): Promise<number> {
  const http = new HttpClient(machine.network!);
  const got = await http.request({ ip: machine.network!.guest!.ip, port: 80, path: '/keys' });
  await got.body.bytes();
  http.close();
  return got.status;
}

test('user-data too large for the RAM of a warm machine is a clear error', async () => {
  const machine = createNodeMachine();
  await machine.prepare({ shape: kvShape });
  const userData = new Uint8Array(kv.memory);
  const failed = await machine.boot({ appliance: kv, userData }, () => {}).catch((error: Error) => error);
  assert.match(String(failed), /do not fit in the appliance's RAM/);
  await machine.stop();
});
