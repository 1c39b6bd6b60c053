// The LAN's transport over real MessageChannels in one process (STYLE rule 3): pages hand ports to the hub, machine
// workers join through them, frames and names cross, Web Locks (faked here) tell the hub who is gone.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { LanError } from './lan-client.ts';
import { joinLan, type LanMembership } from './lan-client.ts';
import { LanHub } from './lan-hub.ts';
import { PIPE_QUEUE_FRAMES } from './lan-pipe.ts';
import type { HubMessage, ViewerMessage } from './lan-protocol.ts';
import { NetLink } from './net-link.ts';
import { BROADCAST_MAC, emitEthernet, ETHERTYPE_IPV4, type Mac } from './net/ethernet.ts';
import { ip } from './net/ipv4.ts';
import { Network } from './net/network.ts';
import { LanSwitch } from './net/switch.ts';
import { fromBatch } from './frame-feed.ts';

const A: Mac = '52:54:00:00:00:0a';
const B: Mac = '52:54:00:00:00:0b';

/** Web Locks in one process: a holder keeps a lock until it releases it (or "dies": kill()). */
class FakeLocks {
  private readonly held = new Map<string, { done: Promise<void>; release: () => void }>();

  hold = async (name: string): Promise<() => void> => {
    let release = (): void => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    this.held.set(name, { done, release });
    return release;
  };

  released = (name: string): Promise<void> => this.held.get(name)?.done ?? Promise.resolve();

  /** Every lock held, as a dead worker's would be. */
  killAll(): void {
    for (const lock of this.held.values()) lock.release();
  }
}

/** A page: its port to the hub, the members messages it got, and the frames it tapped. */
function page(hub: LanHub) {
  const { port1, port2 } = new MessageChannel();
  hub.connectViewer(port1);
  const views: Extract<HubMessage, { type: 'members' }>[] = [];
  const tapped: Uint8Array[] = [];
  port2.onmessage = (event: MessageEvent<HubMessage>) => {
    if (event.data.type === 'members') views.push(event.data);
    else tapped.push(...fromBatch(event.data.batch).map((f) => f.frame));
  };
  const post = (message: ViewerMessage, transfer: Transferable[] = []) => port2.postMessage(message, transfer);
  return {
    views,
    tapped,
    post,
    last: () => views.at(-1),
    /** A port for a machine worker, as web/lan.ts memberPort() makes one. */
    memberPort(): MessagePort {
      const channel = new MessageChannel();
      post({ type: 'member-port', port: channel.port1 }, [channel.port1]);
      return channel.port2;
    },
    close: () => port2.close(),
  };
}

async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function frame(dst: Mac, src: Mac, fill = 0): Uint8Array {
  return emitEthernet({ dst, src, type: ETHERTYPE_IPV4, payload: new Uint8Array(46).fill(fill) });
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

function setup(lanSwitch?: LanSwitch) {
  const locks = new FakeLocks();
  const hub = new LanHub({ released: locks.released, ...(lanSwitch && { lanSwitch }) });
  const viewer = page(hub);
  const members: LanMembership[] = [];
  const join = async (name: string, requested?: number) => {
    const member = await joinLan(viewer.memberPort(), { name, timeoutMs: 2000, hold: locks.hold, requested });
    members.push(member);
    return member;
  };
  cleanup.push(() => {
    for (const member of members) member.leave();
    viewer.close();
    hub.close();
  });
  return { locks, hub, viewer, join };
}

describe('LAN over MessagePorts: joining', () => {
  test('members get unique names and addresses, every member the names, every page the members', async () => {
    const { viewer, join } = setup();
    const kv = await join('kv');
    const kv2 = await join('kv');
    const api = await join('api');
    assert.deepEqual(
      [kv, kv2, api].map((m) => [m.name, m.addr]),
      [
        ['kv', ip(10, 0, 2, 15)],
        ['kv-2', ip(10, 0, 2, 16)],
        ['api', ip(10, 0, 2, 17)],
      ],
    );
    // Each member's Lan hands its guest exactly its address, and resolves the others by name.
    assert.equal(kv2.lan.lease('52:54:00:12:34:56'), ip(10, 0, 2, 16));
    await until('kv to learn of api', () => kv.lan.resolve('api.tabcloud') === ip(10, 0, 2, 17));
    assert.equal(api.lan.resolve('kv-2'), ip(10, 0, 2, 16));
    await until('the page to see three members', () => viewer.last()?.members.length === 3);
    assert.deepEqual(viewer.last()!.members, [
      { name: 'kv', addr: '10.0.2.15' },
      { name: 'kv-2', addr: '10.0.2.16' },
      { name: 'api', addr: '10.0.2.17' },
    ]);
  });

  test('a resumed machine gets its saved address back when it is free, another one when it is taken', async () => {
    const { join } = setup();
    assert.equal((await join('kv', ip(10, 0, 2, 40))).addr, ip(10, 0, 2, 40));
    assert.equal((await join('db', ip(10, 0, 2, 40))).addr, ip(10, 0, 2, 15));
  });

  test('a member that leaves, or whose worker dies (its lock is free), is gone from the names', async () => {
    const { locks, viewer, join } = setup();
    const kv = await join('kv');
    const db = await join('db');
    const api = await join('api');
    db.leave();
    await until('db to leave', () => kv.lan.resolve('db') === undefined);
    assert.equal(kv.lan.resolve('api'), api.addr);
    locks.killAll(); // the tab closed: its workers' locks are released
    await until('the page to see no member', () => viewer.last()?.members.length === 0);
    // A new member takes the lowest address again.
    assert.equal((await join('db')).addr, ip(10, 0, 2, 15));
  });

  test("a page that goes (pagehide's bye) takes its machines off the LAN at once, not when its workers end", async () => {
    const { hub, join } = setup();
    const other = page(hub);
    cleanup.push(() => other.close());
    const mine = await join('kv');
    const theirs = await joinLan(other.memberPort(), { name: 'db', timeoutMs: 2000, hold: new FakeLocks().hold });
    cleanup.push(() => theirs.leave());
    other.post({ type: 'bye' });
    await until('db to leave', () => mine.lan.resolve('db') === undefined);
    assert.deepEqual(
      hub.members().map((m) => m.name),
      ['kv'],
    );
  });

  test('a LAN that does not answer in time fails the join with lan-timeout, and the late member leaves', async () => {
    const locks = new FakeLocks();
    const { port1, port2 } = new MessageChannel();
    cleanup.push(() => port1.close());
    const joining = joinLan(port2, { name: 'kv', timeoutMs: 50, hold: locks.hold });
    await assert.rejects(joining, (error: LanError) => error.code === 'lan-timeout' && /50 ms/.test(error.message));
    // The switch comes up later and takes the join still in the port: the released lock makes it forget it.
    const hub = new LanHub({ released: locks.released });
    cleanup.push(() => hub.close());
    hub.connectMember(port1);
    const viewer = page(hub);
    cleanup.push(() => viewer.close());
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(hub.members(), []);
  });

  test('a full LAN refuses the join with lan-refused and says why', async () => {
    const { join } = setup(new LanSwitch({ first: ip(10, 0, 2, 15), last: ip(10, 0, 2, 15) }));
    await join('kv');
    await assert.rejects(
      join('db'),
      (error: LanError) => error.code === 'lan-refused' && /no address left/.test(error.message),
    );
  });
});

describe('LAN over MessagePorts: frames', () => {
  test('broadcasts reach every other member, unicast only its MAC, and a tapping page sees both', async () => {
    const { viewer, join } = setup();
    const [a, b, c] = [await join('a'), await join('b'), await join('c')];
    const got = { a: [] as Uint8Array[], b: [] as Uint8Array[], c: [] as Uint8Array[] };
    a.onFrame = (f) => got.a.push(f);
    b.onFrame = (f) => got.b.push(f);
    c.onFrame = (f) => got.c.push(f);
    viewer.post({ type: 'tap', on: true });
    b.send(frame(BROADCAST_MAC, B, 1)); // b's MAC is learned
    await until('the broadcast', () => got.a.length === 1 && got.c.length === 1);
    a.send(frame(B, A, 2));
    await until('the unicast', () => got.b.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual([got.a.length, got.b.length, got.c.length], [1, 1, 1]);
    assert.equal(got.b[0]![14], 2);
    await until('the tap', () => viewer.tapped.length === 2, 3000);
    assert.deepEqual(
      viewer.tapped.map((f) => f[14]),
      [1, 2],
    );
  });

  test('a flooding guest loses frames, counted, in its own queue and at the switch; the others still talk', async () => {
    const { hub, viewer, join } = setup();
    const [flood, a, b] = [await join('flood'), await join('a'), await join('b')];
    const got: Uint8Array[] = [];
    let flooded = 0;
    a.onFrame = (f) => (f[14] === 9 ? flooded++ : got.push(f));
    b.onFrame = () => {};
    // Ten thousand broadcasts in one task: the pipe keeps PIPE_QUEUE_FRAMES, the switch's flood rate fewer still.
    for (let i = 0; i < 10_000; i++) flood.send(frame(BROADCAST_MAC, '52:54:00:00:00:ff', 9));
    assert.equal(flood.dropped, 10_000 - PIPE_QUEUE_FRAMES);
    b.send(frame(BROADCAST_MAC, B, 1));
    b.send(frame(A, B, 2));
    await until('b to reach a', () => got.length === 2);
    await until('the counters', () => {
      const counters = viewer.last()?.counters;
      return counters !== undefined && counters.dropped > 0 && counters.queueDropped >= 10_000 - PIPE_QUEUE_FRAMES;
    });
    assert.ok(flooded <= 1000, `${flooded} floods got through`);
    assert.equal(hub.counters().dropped + flooded, PIPE_QUEUE_FRAMES);
  });

  test('two guests on NetLinks talk TCP across the hub: A resolves B by name, ARPs it, gets an answer', async () => {
    const { join } = setup();
    const guest = async (name: string, mac: Mac) => {
      const member = await join(name);
      const ref: { link?: NetLink } = {};
      const stack: Network = new Network({
        ip: member.addr,
        mac,
        services: false,
        send: (f) => ref.link?.receive(f),
        wake: () => setImmediate(() => stack.poll(performance.now())),
      });
      const link = new NetLink({
        name: member.name,
        lan: member.lan,
        deliver: (f) => setImmediate(() => stack.receive(f, performance.now())),
        uplink: (f) => member.send(f),
      });
      ref.link = link;
      member.onFrame = (f) => link.fromLan(f);
      cleanup.push(() => link.close());
      return { member, stack };
    };
    const a = await guest('api', A);
    const b = await guest('db', B);
    b.stack.listen(80, (socket) => {
      void (async () => {
        const request = await socket.read();
        socket.write(new TextEncoder().encode(`echo ${new TextDecoder().decode(request!)}`));
        socket.close();
      })();
    });
    const socket = a.stack.connect(a.member.lan.resolve('db.tabcloud')!, 80);
    await socket.opened();
    socket.write(new TextEncoder().encode('hi'));
    const chunks: Uint8Array[] = [];
    for await (const chunk of socket) chunks.push(chunk);
    assert.equal(new TextDecoder().decode(Buffer.concat(chunks)), 'echo hi');
  });
});
