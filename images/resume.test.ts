// A running kv saved with saveState() and resumed in a fresh machine: its data, its address and
// its uptime carry over, and it answers at once without booting again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { Machine } from '../worker/machine.ts';
import { HttpClient } from '../worker/net/http-client.ts';
import type { ApplianceSpec, MachineEvent } from '../worker/protocol.ts';

/** Collects a machine's console output. */
function consoleOf(): { text: () => string; listener: (event: MachineEvent) => void } {
  let output = '';
  return {
    text: () => output,
    listener: (event) => {
      if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
    },
  };
}

/** One request to the guest through the machine's host stack: [status, body]. */
async function call(machine: Machine, method: string, path: string, body?: string): Promise<[number, string]> {
  const network = machine.network!;
  const http = new HttpClient(network);
  try {
    const response = await http.request({
      ip: network.guest!.ip,
      port: 80,
      method,
      path,
      headers: [['Host', 'kv.tabcloud']],
      ...(body !== undefined && { body: new TextEncoder().encode(body) }),
    });
    return [response.status, new TextDecoder().decode(await response.body.bytes())];
  } finally {
    http.close();
  }
}

/** The guest's uptime in seconds, from its shell. */
async function uptime(machine: Machine, output: () => string): Promise<number> {
  const before = output().length;
  machine.sendSerial('uptime\n');
  for (let i = 0; i < 200; i++) {
    const match = /up (\d+\.\d+) s/.exec(output().slice(before));
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no uptime line in: ${output().slice(before)}`);
}

test('a saved kv resumes with its data, its address and its uptime', async () => {
  const kv = (await loadCatalog()).find((a): a is ApplianceSpec => a.id === 'kv');
  assert.ok(kv);
  const first = createNodeMachine();
  const firstConsole = consoleOf();
  await first.boot({ appliance: kv }, firstConsole.listener);
  assert.equal((await call(first, 'PUT', '/keys/kept', 'across a snapshot'))[0], 201);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const upBefore = await uptime(first, firstConsole.text);
  const saved = await first.saveState();
  const guest = first.network!.guest;
  await first.stop();
  assert.deepEqual(saved.guest, guest);

  const second = createNodeMachine();
  const secondConsole = consoleOf();
  const status = await second.boot({ appliance: kv, resume: saved }, secondConsole.listener);
  try {
    assert.equal(status.state, 'ready');
    assert.ok(status.timeline.host['snapshot-loaded'] !== undefined, 'resumed, not booted');
    assert.doesNotMatch(secondConsole.text(), /READY/, 'the guest did not boot again');
    assert.equal(second.network!.guest?.ip, guest?.ip);
    const [code, value] = await call(second, 'GET', '/keys/kept');
    assert.deepEqual([code, value], [200, 'across a snapshot']);
    const upAfter = await uptime(second, secondConsole.text);
    assert.ok(upAfter >= upBefore, `uptime continues: ${upBefore} s before, ${upAfter} s after`);
  } finally {
    await second.stop();
  }
});

test('only a ready machine can be saved', async () => {
  const machine = createNodeMachine();
  await assert.rejects(machine.saveState(), { name: 'not-running' });
});
