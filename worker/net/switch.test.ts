import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NetLink } from '../net-link.ts';
import { BROADCAST_MAC, emitEthernet, ETHERTYPE_IPV4, type Mac } from './ethernet.ts';
import { ip, type Ip } from './ipv4.ts';
import { Lan } from './lan.ts';
import { Network } from './network.ts';
import { LanSwitch, type LanPort } from './switch.ts';

const A: Mac = '52:54:00:00:00:0a';
const B: Mac = '52:54:00:00:00:0b';
const C: Mac = '52:54:00:00:00:0c';

/** A port that records what the switch gives it. */
function port() {
  const frames: Uint8Array[] = [];
  const tables: [string, Ip][][] = [];
  const it: LanPort & { frames: Uint8Array[]; tables: typeof tables } = {
    frames,
    tables,
    frame: (frame) => frames.push(frame),
    names: (table) => tables.push(table),
  };
  return it;
}

function frame(dst: Mac, src: Mac, bytes = 46): Uint8Array {
  return emitEthernet({ dst, src, type: ETHERTYPE_IPV4, payload: new Uint8Array(bytes) });
}

describe('LanSwitch: addresses and names', () => {
  test('members get .15, .16…, unique names, and every member the whole table', () => {
    const lan = new LanSwitch();
    const [p1, p2, p3] = [port(), port(), port()];
    const kv = lan.join('kv', p1);
    const api = lan.join('API', p2);
    const kv2 = lan.join('kv', p3);
    assert.deepEqual(
      [kv, api, kv2].map((m) => [m.name, m.addr]),
      [
        ['kv', ip(10, 0, 2, 15)],
        ['api', ip(10, 0, 2, 16)],
        ['kv-2', ip(10, 0, 2, 17)],
      ],
    );
    const table = [
      ['kv', ip(10, 0, 2, 15)],
      ['api', ip(10, 0, 2, 16)],
      ['kv-2', ip(10, 0, 2, 17)],
    ];
    assert.deepEqual(p1.tables.at(-1), table);
    assert.deepEqual(p3.tables.at(-1), table);
    assert.deepEqual(lan.members(), [kv, api, kv2]);
  });

  test('a requested address is kept when free; a leaving member frees its name and address', () => {
    const lan = new LanSwitch();
    const [p1, p2, p3] = [port(), port(), port()];
    const db = lan.join('db', p1, ip(10, 0, 2, 40));
    assert.equal(db.addr, ip(10, 0, 2, 40));
    const other = lan.join('other', p2, ip(10, 0, 2, 40));
    assert.equal(other.addr, ip(10, 0, 2, 15), 'taken: the lowest free one instead');
    lan.leave(db.id);
    assert.deepEqual(p2.tables.at(-1), [['other', ip(10, 0, 2, 15)]]);
    assert.equal(lan.join('db', p3, ip(10, 0, 2, 40)).name, 'db');
    lan.leave(12345); // unknown: ignored
  });

  test('a full LAN refuses a member with lan-full', () => {
    const lan = new LanSwitch({ first: ip(10, 0, 2, 15), last: ip(10, 0, 2, 16) });
    lan.join('a', port());
    lan.join('b', port());
    assert.throws(() => lan.join('c', port()), { name: 'lan-full', message: /no address left for c/ });
  });
});

describe('LanSwitch: frames', () => {
  function three() {
    const lan = new LanSwitch();
    const ports = [port(), port(), port()];
    const [a, b, c] = ports.map((p, i) => lan.join(`m${i}`, p));
    return { lan, ports, ids: [a!.id, b!.id, c!.id] };
  }

  test('broadcasts and unknown destinations go to every other member; learned MACs to one', () => {
    const { lan, ports, ids } = three();
    assert.ok(lan.forward(ids[0]!, frame(BROADCAST_MAC, A), 0));
    assert.deepEqual(
      ports.map((p) => p.frames.length),
      [0, 1, 1],
    );
    assert.ok(lan.forward(ids[1]!, frame(A, B), 0), 'A was learned from its broadcast');
    assert.deepEqual(
      ports.map((p) => p.frames.length),
      [1, 1, 1],
    );
    lan.forward(ids[0]!, frame(C, A), 0); // C not learned yet: flooded
    assert.deepEqual(
      ports.map((p) => p.frames.length),
      [1, 2, 2],
    );
    assert.deepEqual(lan.stats, { forwarded: 1, flooded: 2, dropped: 0 });
  });

  test('a frame to its own sender, a runt, and a frame from a stranger are dropped', () => {
    const { lan, ports, ids } = three();
    lan.forward(ids[0]!, frame(BROADCAST_MAC, A), 0);
    assert.equal(lan.forward(ids[0]!, frame(A, A), 0), false);
    assert.equal(lan.forward(ids[0]!, new Uint8Array(10), 0), false);
    assert.equal(lan.forward(999, frame(BROADCAST_MAC, B), 0), false);
    assert.deepEqual(
      ports.map((p) => p.frames.length),
      [0, 1, 1],
    );
    assert.equal(lan.stats.dropped, 3);
  });

  test('a member that leaves is forgotten with its MACs: frames to it are flooded', () => {
    const { lan, ports, ids } = three();
    lan.forward(ids[1]!, frame(BROADCAST_MAC, B), 0);
    lan.leave(ids[1]!);
    lan.forward(ids[0]!, frame(B, A), 0);
    assert.deepEqual(
      ports.map((p) => p.frames.length),
      [1, 0, 2],
    );
  });

  test('a flooding member is held to its rate, and gets its rate back a second later', () => {
    const lan = new LanSwitch({ floodsPerSecond: 10, framesPerSecond: 100 });
    const [p1, p2] = [port(), port()];
    const a = lan.join('a', p1);
    const b = lan.join('b', p2);
    let passed = 0;
    for (let i = 0; i < 50; i++) if (lan.forward(a.id, frame(BROADCAST_MAC, A), 0)) passed++;
    assert.equal(passed, 10);
    assert.equal(lan.stats.dropped, 40);
    assert.ok(lan.forward(a.id, frame(BROADCAST_MAC, A), 1000));
    lan.forward(b.id, frame(A, B), 1000); // the switch learns B
    for (let i = 0; i < 200; i++) lan.forward(a.id, frame(B, A), 2000);
    assert.equal(p2.frames.length, 10 + 1 + 100, 'unicasts: at most framesPerSecond');
  });
});

describe('LanSwitch with NetLinks: two guests talk', () => {
  /** A guest: a host stack of its own (no services) on the address its member got, behind a NetLink. */
  function member(lan: LanSwitch, name: string, mac: Mac) {
    const mirror = new Lan();
    const ref: { link?: NetLink } = {};
    const self = lan.join(name, { frame: (f) => ref.link?.fromLan(f), names: (t) => mirror.setNames(t) });
    const guest: Network = new Network({
      ip: self.addr,
      mac,
      services: false,
      send: (f) => ref.link?.receive(f),
      wake: () => setImmediate(() => guest.poll(performance.now())),
    });
    ref.link = new NetLink({
      name,
      lan: new Lan(self.addr, self.addr),
      deliver: (f) => setImmediate(() => guest.receive(f, performance.now())), // a NIC: the guest reads it later
      uplink: (f) => lan.forward(self.id, f, performance.now()),
    });
    ref.link.network.lan.setNames(mirror.nameTable());
    return { self, guest, mirror, link: ref.link };
  }

  test('A resolves B by name, finds its MAC by ARP across the switch, and gets an answer over TCP', async () => {
    const lan = new LanSwitch();
    const a = member(lan, 'api', A);
    const b = member(lan, 'db', B);
    assert.equal(a.mirror.resolve('db.tabcloud'), b.self.addr);
    b.guest.listen(80, (socket) => {
      void (async () => {
        const request = await socket.read();
        socket.write(new TextEncoder().encode(`echo ${new TextDecoder().decode(request!)}`));
        socket.close();
      })();
    });
    const socket = a.guest.connect(a.mirror.resolve('db')!, 80);
    await socket.opened();
    socket.write(new TextEncoder().encode('hi'));
    const chunks: Uint8Array[] = [];
    for await (const chunk of socket) chunks.push(chunk);
    assert.equal(new TextDecoder().decode(Buffer.concat(chunks)), 'echo hi');
    assert.ok(lan.stats.forwarded > 0 && lan.stats.flooded > 0);
    a.link.close();
    b.link.close();
  });
});
