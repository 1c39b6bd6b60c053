// Two kv appliances in v86 on one LAN (the lead's LanSwitch, each behind its own NetLink, as a tab or the CLI
// joins them): one calls the other by name with the console's `fetch`, through the guest's DNS resolver and
// TCP active open, guest stack to guest stack with no host TCP in between.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadCatalog, loadImage, v86Module } from '../cli/node-host.ts';
import { Emulator, nicMtu } from '../worker/emulator.ts';
import { NetLink } from '../worker/net-link.ts';
import { Lan } from '../worker/net/lan.ts';
import { LanSwitch } from '../worker/net/switch.ts';

interface Guest {
  name: string;
  output: () => string;
  type: (text: string) => void;
  stop: () => Promise<void>;
}

describe('two appliances on one LAN call each other by name', () => {
  const lanSwitch = new LanSwitch();
  const guests: Guest[] = [];

  /** Boots kv as member `name` of the LAN; resolves once it printed READY kv. */
  async function boot(name: string): Promise<Guest> {
    const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;
    const ref: { link?: NetLink; lan?: Lan; emulator?: Emulator } = {};
    const member = lanSwitch.join(name, {
      frame: (frame) => ref.link?.fromLan(frame),
      names: (table) => ref.lan?.setNames(table),
    });
    ref.lan = new Lan(member.addr, member.addr);
    ref.lan.setNames(lanSwitch.members().map((m) => [m.name, m.addr] as const));
    ref.link = new NetLink({
      name,
      lan: ref.lan,
      mtu: nicMtu('virtio'),
      deliver: (frame) => ref.emulator?.receiveFrame(frame),
      room: () => ref.emulator?.nicRoom(),
      uplink: (frame) => lanSwitch.forward(member.id, frame, performance.now()),
    });
    let output = '';
    ref.emulator = await Emulator.start({
      kernel: await loadImage(kv.image),
      memory: kv.memory,
      nic: 'virtio',
      wasm: await v86Module(),
      onSerial: (byte) => (output += String.fromCharCode(byte)),
      onFrame: (frame) => ref.link?.receive(frame),
    });
    const deadline = Date.now() + 60_000;
    while (!/^READY kv\r?$/m.test(output)) {
      if (Date.now() > deadline) throw new Error(`${name} never got READY:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return {
      name,
      output: () => output,
      type: (text) => ref.emulator!.sendSerial(new TextEncoder().encode(text)),
      stop: async () => {
        lanSwitch.leave(member.id);
        ref.link!.close();
        await ref.emulator!.destroy();
      },
    };
  }

  /** Types a command on guest g's console; resolves with what it printed up to its last line. */
  async function run(g: Guest, command: string, ms = 60_000): Promise<string> {
    const start = g.output().length;
    g.type(`${command}\r`);
    const deadline = Date.now() + ms;
    for (;;) {
      const shown = g.output().slice(start).replace(/\r/g, '');
      if (/^(-- \d+ bytes|fetch: ).*\n/m.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`no end of ${command} on ${g.name} within ${ms} ms:\n${shown}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  before(async () => {
    guests.push(await boot('db'), await boot('api'));
  });

  after(async () => {
    for (const g of guests) await g.stop();
  });

  test('api stores a value in db by name and reads it back; db calls api by name too', async (t) => {
    const [db, api] = guests as [Guest, Guest];
    assert.match(await run(api, 'fetch -X PUT -d hello http://db/keys/greeting'), /^HTTP\/1\.1 201 Created$/m);
    const shown = await run(api, 'fetch http://db.tabcloud/keys/greeting');
    assert.match(shown, /^HTTP\/1\.1 200 OK$/m);
    assert.match(shown, /^Server: tabcloud-kv$/m);
    assert.match(shown, /^hello\n-- 5 bytes \(5 shown\), crc32 3610a686, (\d+) ms$/m);
    t.diagnostic(`api → db GET by name: ${/(\d+) ms$/m.exec(shown)![1]} ms in the guest`);
    assert.match(await run(db, 'fetch http://api/keys'), /^Transfer-Encoding: chunked\n[\s\S]*^\[\]\n-- 3 bytes/m);
    assert.match(
      await run(api, 'fetch http://nosuch/'),
      /^fetch: cannot resolve nosuch: no such appliance on this network$/m,
    );
    assert.ok(lanSwitch.stats.forwarded > 0);
  });

  test('an appliance that stops: its callers get a clear error within seconds, not a hang', async (t) => {
    const [db, api] = guests.splice(0, 2) as [Guest, Guest];
    guests.push(api);
    await db.stop();
    const start = performance.now();
    const shown = await run(api, 'fetch http://db/keys', 20_000);
    t.diagnostic(`${/^fetch: .*$/m.exec(shown)?.[0]} after ${(performance.now() - start).toFixed(0)} ms`);
    assert.match(
      shown,
      /^fetch: (db \(10\.0\.2\.\d+\) does not answer: no such address on this network|cannot resolve db: no such appliance on this network)$/m,
    );
  });
});
