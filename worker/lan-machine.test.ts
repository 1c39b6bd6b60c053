// Machines (real v86 guests, in Node) on the LAN through MessageChannels to a LanHub, as the page's workers join the
// SharedWorker: names and addresses from the switch, a resume whose address is taken renews it, a LAN that does not
// answer leaves the boot on a private link.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { LanHub } from './lan-hub.ts';
import type { Machine } from './machine.ts';
import { formatIp, ip } from './net/ipv4.ts';
import type { MachineEvent, SavedMachine } from './protocol.ts';

const catalog = await loadCatalog();
const kv = catalog.find((a) => a.id === 'kv')!;

/** Web Locks in one process: held until released. */
const locks = new Map<string, Promise<void>>();
async function hold(name: string): Promise<() => void> {
  let release = (): void => {};
  locks.set(name, new Promise<void>((resolve) => (release = resolve)));
  return release;
}
const hub = new LanHub({ released: (name) => locks.get(name) ?? Promise.resolve() });
const machines: Machine[] = [];
after(async () => {
  for (const machine of machines) await machine.stop();
  hub.close();
});

/** A machine whose next boot joins the hub, as web/lan.ts memberPort() and MachineApi.attachLan() do. */
function lanMachine(): Machine {
  const machine = createNodeMachine({ holdLock: hold });
  const { port1, port2 } = new MessageChannel();
  hub.connectMember(port1);
  machine.attachLan(port2);
  machines.push(machine);
  return machine;
}

async function boot(machine: Machine, resume?: SavedMachine, console?: string[]) {
  const listener = (event: MachineEvent) => {
    if (event.type === 'serial') console?.push(new TextDecoder().decode(event.data));
  };
  return machine.boot({ appliance: kv, name: 'kv', ...(resume && { resume }) }, listener);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(machine: Machine, target: string): Promise<{ status: number; body: string }> {
  const response = await machine.request({ port: 80, method: 'GET', target, headers: [], body: null });
  return { status: response.status, body: new TextDecoder().decode(response.body) };
}

test('two kv machines on one LAN: kv and kv-2, each guest leased the address its member got', async () => {
  const one = lanMachine();
  const two = lanMachine();
  const [first, second] = [await boot(one), await boot(two)];
  assert.deepEqual(first.lan, { link: 'lan', name: 'kv', addr: '10.0.2.15' });
  assert.deepEqual(second.lan, { link: 'lan', name: 'kv-2', addr: '10.0.2.16' });
  assert.equal(two.network?.guest?.ip, ip(10, 0, 2, 16));
  // Each names the other: the switch's table reached both members' DNS.
  assert.equal(one.network?.lan.resolve('kv-2.tabcloud'), ip(10, 0, 2, 16));
  assert.equal(two.network?.lan.resolve('kv'), ip(10, 0, 2, 15));
  assert.equal((await get(two, '/keys')).status, 200);
  await one.stop();
  await two.stop();
  assert.deepEqual(hub.members(), []);
});

test('a resumed machine whose address is taken renews it: the guest asks DHCP again and serves on the new one', async () => {
  const owner = lanMachine();
  await boot(owner);
  const saved = await owner.saveState();
  assert.equal(saved.guest?.ip, ip(10, 0, 2, 15));
  const resumed = lanMachine();
  const console: string[] = [];
  const status = await boot(resumed, saved, console);
  assert.equal(status.state, 'ready');
  assert.deepEqual(status.lan, { link: 'lan', name: 'kv-2', addr: '10.0.2.16' });
  assert.equal(formatIp(resumed.network!.guest!.ip), '10.0.2.16');
  // The console arrives in batches, a few ms behind.
  for (let i = 0; i < 100 && !/net: 10\.0\.2\.16\/24/.test(console.join('')); i++) await sleep(10);
  assert.match(console.join(''), /net: address lost[\s\S]*net: 10\.0\.2\.16\/24/);
  assert.equal((await get(resumed, '/keys')).status, 200);
  // With the address free again, the next resume keeps it and types nothing.
  await owner.stop();
  await resumed.stop();
  const again = lanMachine();
  const quiet: string[] = [];
  assert.deepEqual((await boot(again, saved, quiet)).lan, { link: 'lan', name: 'kv', addr: '10.0.2.15' });
  again.sendSerial('help\n');
  for (let i = 0; i < 100 && !/list commands/.test(quiet.join('')); i++) await sleep(10);
  assert.match(quiet.join(''), /list commands/);
  assert.doesNotMatch(quiet.join(''), /net renew|address lost/);
  await again.stop();
});

/** Types `fetch <url>` on a machine's console and waits for the command's end: the body and the summary, or the error. */
async function consoleFetch(machine: Machine, console: string[], url: string): Promise<string> {
  console.length = 0;
  machine.sendSerial(`fetch ${url}\n`);
  for (let i = 0; i < 1000 && !/\n-- \d+ bytes|\nfetch: /.test(console.join('')); i++) await sleep(10);
  return console.join('');
}

test('two guests with one MAC (one saved machine resumed twice) are told apart: each answers for itself', async () => {
  const owner = lanMachine();
  await boot(owner);
  const saved = await owner.saveState();
  const copy = lanMachine();
  assert.equal((await boot(copy, saved)).lan?.name, 'kv-2');
  const put = (machine: Machine, body: string) =>
    machine.request({
      port: 80,
      method: 'PUT',
      target: '/keys/who',
      headers: [],
      body: new TextEncoder().encode(body).buffer,
    });
  await put(owner, 'the owner');
  await put(copy, 'the copy');
  const caller = lanMachine();
  const console: string[] = [];
  await boot(caller, undefined, console);
  // Each answer teaches the switch where a MAC is: with one MAC for both, the third call would reach the copy.
  for (const [url, who] of [
    ['http://kv/keys/who', 'the owner'],
    ['http://kv-2/keys/who', 'the copy'],
    ['http://kv/keys/who', 'the owner'],
  ]) {
    const output = await consoleFetch(caller, console, url!);
    assert.match(output, new RegExp(`HTTP/1.1 200 OK[\\s\\S]*${who}[\\s\\S]*-- \\d+ bytes`), `${url}:\n${output}`);
  }
  await Promise.all([owner.stop(), copy.stop(), caller.stop()]);
});

test('a LAN that does not answer does not hold the boot: the machine runs on a private link and says why', async () => {
  const machine = createNodeMachine({ holdLock: hold });
  machines.push(machine);
  const { port1, port2 } = new MessageChannel();
  machine.attachLan(port2);
  const status = await boot(machine);
  port1.close();
  assert.equal(status.state, 'ready');
  assert.equal(status.lan?.link, 'private');
  assert.match(status.lan?.note ?? '', /did not answer within 3000 ms/);
  assert.equal((await get(machine, '/keys')).status, 200);
  await machine.stop();
});

test('a guest runs while its join ends: the frames it sends before the switch answers wait for its link', async () => {
  const machine = createNodeMachine({ holdLock: hold });
  machines.push(machine);
  await machine.prepare({}); // takes the membership's Web Lock ahead, as a page's spare worker does
  const { port1, port2 } = new MessageChannel();
  machine.attachLan(port2);
  // The switch hears the join only after the guest has sent its first DHCP discover (a few ms into its boot).
  const late = setTimeout(() => hub.connectMember(port1), 300);
  const status = await boot(machine);
  clearTimeout(late);
  const host = status.timeline.host;
  assert.ok(host['kernel-entry']! < host['lan-joined']!, JSON.stringify(host));
  assert.deepEqual(status.lan?.link, 'lan');
  // Had the guest's first discover been dropped, it would have asked again only a second later (DHCP_RETRY_MS).
  const bound = status.timeline.guest['dhcp-bound']!;
  assert.ok(bound < 1000, `bound ${bound} ms after kernel entry`);
  assert.equal((await get(machine, '/keys')).status, 200);
  await machine.stop();
});
