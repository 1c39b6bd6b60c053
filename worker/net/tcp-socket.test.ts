import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { netErrorCode } from './errors.ts';
import { ip } from './ipv4.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, seqAdd, type TcpSegment } from './tcp.ts';
import { DEFAULT_TCP_CONFIG, TcpSocket, type TcpConfig } from './tcp-socket.ts';

const EMPTY = new Uint8Array(0);
const ENDPOINT = { localIp: ip(10, 0, 2, 2), localPort: 49152, remoteIp: ip(10, 0, 2, 15), remotePort: 80 };
const PEER_ISS = 5000;

/** A host socket and a scripted peer: the test feeds segments and inspects what the socket sent. */
function scripted(options: { iss?: number; config?: Partial<TcpConfig> } = {}) {
  const sent: TcpSegment[] = [];
  const counts = { closed: 0, wakes: 0 };
  const iss = options.iss ?? 1000;
  const socket = TcpSocket.connect(
    ENDPOINT,
    { output: (s) => sent.push(s), wake: () => counts.wakes++, closed: () => counts.closed++ },
    { ...DEFAULT_TCP_CONFIG, ...options.config },
    iss,
  );
  const take = (): TcpSegment[] => sent.splice(0);
  const from = (fields: Partial<TcpSegment>): TcpSegment => ({
    srcPort: 80,
    dstPort: 49152,
    seq: 0,
    ack: 0,
    flags: TCP_ACK,
    window: 65535,
    payload: EMPTY,
    ...fields,
  });
  /** Completes the handshake at time now; the peer's next sequence number is PEER_ISS + 1. */
  const establish = (now = 0, synAck: Partial<TcpSegment> = {}): void => {
    socket.poll(now);
    const [syn] = take();
    socket.segmentArrived(
      from({ seq: PEER_ISS, ack: seqAdd(syn.seq, 1), flags: TCP_SYN | TCP_ACK, options: { mss: 1460 }, ...synAck }),
      now,
    );
    take();
  };
  return { socket, sent, take, from, establish, counts, iss };
}

/** A SYN from the peer (port 80 to our 49152), with `fields` over the defaults. */
const peerSyn = (fields: Partial<TcpSegment> = {}): TcpSegment => ({
  srcPort: 80,
  dstPort: 49152,
  seq: PEER_ISS,
  ack: 0,
  flags: TCP_SYN,
  window: 65535,
  payload: EMPTY,
  ...fields,
});

const bytes = (n: number, seed = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const text = (data: Uint8Array): string => Buffer.from(data).toString();
const errorOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => netErrorCode(error),
  );

describe('tcp socket: handshake', () => {
  test('syn_sent: poll sends SYN with our MSS and starts the connect timer', () => {
    const { socket, take, iss } = scripted();
    assert.equal(socket.state, 'syn-sent');
    assert.equal(socket.pollAt(), 0);
    socket.poll(100);
    const [syn] = take();
    assert.equal(syn.flags, TCP_SYN);
    assert.equal(syn.seq, iss);
    assert.equal(syn.options?.mss, 1460);
    assert.equal(syn.window, 65535);
    assert.equal(socket.pollAt(), 100 + DEFAULT_TCP_CONFIG.initialRtoMs);
  });

  test('syn_sent: syn-ack → established, ACK sent, opened() resolves', async () => {
    const { socket, take, from, iss } = scripted();
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: PEER_ISS, ack: iss + 1, flags: TCP_SYN | TCP_ACK, options: { mss: 1460 } }), 5);
    assert.equal(socket.state, 'established');
    const [ack] = take();
    assert.deepEqual([ack.flags, ack.seq, ack.ack], [TCP_ACK, iss + 1, PEER_ISS + 1]);
    await socket.opened();
    assert.equal(socket.pollAt(), undefined);
  });

  test('syn_sent: rst with acceptable ack → refused', async () => {
    const { socket, take, from, iss, counts } = scripted();
    const opened = errorOf(socket.opened());
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: 0, ack: iss + 1, flags: TCP_RST | TCP_ACK }), 1);
    assert.equal(socket.state, 'closed');
    assert.equal(await opened, 'refused');
    assert.equal(await errorOf(socket.read()), 'refused');
    assert.equal(counts.closed, 1);
  });

  test('syn_sent: rst with a wrong ack is ignored', () => {
    const { socket, take, from, iss } = scripted();
    socket.poll(0);
    take();
    socket.segmentArrived(from({ ack: iss + 7, flags: TCP_RST | TCP_ACK }), 1);
    assert.equal(socket.state, 'syn-sent');
  });

  test('syn_sent: ack of something never sent → RST, still connecting', () => {
    const { socket, take, from, iss } = scripted();
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: 77, ack: iss + 100, flags: TCP_SYN | TCP_ACK }), 1);
    const [rst] = take();
    assert.deepEqual([rst.flags, rst.seq], [TCP_RST, iss + 100]);
    assert.equal(socket.state, 'syn-sent');
  });

  test('syn_sent: no answer → SYN resent with doubling RTO, then timeout at the connect deadline', async () => {
    const { socket, take } = scripted({ config: { connectTimeoutMs: 10_000 } });
    const opened = errorOf(socket.opened());
    const times: number[] = [];
    for (let now = 0; socket.state !== 'closed'; now = socket.pollAt()!) {
      socket.poll(now);
      if (take().some((s) => s.flags === TCP_SYN)) times.push(now);
    }
    assert.deepEqual(times, [0, 1000, 3000, 7000]);
    assert.equal(await opened, 'timeout');
  });

  test('syn_sent: syn without MSS → segments of 536 bytes', () => {
    const { socket, take, establish } = scripted();
    establish(0, { options: {} });
    socket.write(bytes(2000));
    socket.poll(1);
    assert.deepEqual(
      take().map((s) => s.payload.length),
      [536, 536, 536, 392],
    );
  });

  test('syn_sent: data written before the handshake goes out after it, with the FIN if closed', () => {
    const { socket, take, from, iss } = scripted();
    socket.write(bytes(10));
    socket.close();
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: PEER_ISS, ack: iss + 1, flags: TCP_SYN | TCP_ACK, options: { mss: 1460 } }), 1);
    const segments = take();
    assert.equal(socket.state, 'fin-wait-1');
    assert.deepEqual(
      segments.map((s) => [s.seq, s.payload.length, s.flags & TCP_FIN]),
      [[iss + 1, 10, TCP_FIN]],
      'the ACK of the SYN-ACK carries the data and the FIN',
    );
  });

  test('syn_sent: simultaneous open → syn-received → established', () => {
    const { socket, take, from, iss } = scripted();
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: PEER_ISS, flags: TCP_SYN }), 1);
    assert.equal(socket.state, 'syn-received');
    const [synAck] = take();
    assert.equal(synAck.flags, TCP_SYN | TCP_ACK);
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1 }), 2);
    assert.equal(socket.state, 'established');
  });
});

describe('tcp socket: passive open', () => {
  function accepted() {
    const sent: TcpSegment[] = [];
    const events = { opened: 0, closed: 0 };
    const syn = peerSyn({ window: 8000, options: { mss: 1000 } });
    const socket = TcpSocket.accept(
      ENDPOINT,
      syn,
      { output: (s) => sent.push(s), wake: () => {}, closed: () => events.closed++, opened: () => events.opened++ },
      DEFAULT_TCP_CONFIG,
      9000,
    );
    return { socket, sent, events };
  }

  test('syn_received: poll sends SYN-ACK; the ACK establishes and fires opened', () => {
    const { socket, sent, events } = accepted();
    socket.poll(0);
    const [synAck] = sent.splice(0);
    assert.deepEqual(
      [synAck.flags, synAck.seq, synAck.ack, synAck.options?.mss],
      [TCP_SYN | TCP_ACK, 9000, PEER_ISS + 1, 1460],
    );
    const ack = {
      ...synAck,
      srcPort: 80,
      dstPort: 49152,
      seq: PEER_ISS + 1,
      ack: 9001,
      flags: TCP_ACK,
      options: undefined,
    };
    socket.segmentArrived(ack, 1);
    assert.equal(socket.state, 'established');
    assert.equal(events.opened, 1);
    socket.write(bytes(3000));
    socket.poll(2);
    assert.deepEqual(
      sent.map((s) => s.payload.length),
      [1000, 1000, 1000],
      'the peer MSS of 1000 is respected',
    );
  });

  test('syn_received: a lost SYN-ACK is resent; a half-open connection expires silently', () => {
    const { socket, sent, events } = accepted();
    socket.poll(0);
    socket.poll(socket.pollAt()!);
    assert.equal(sent.filter((s) => s.flags === (TCP_SYN | TCP_ACK)).length, 2);
    while (socket.state !== 'closed') socket.poll(socket.pollAt()!);
    assert.equal(socket.error, undefined);
    assert.deepEqual(events, { opened: 0, closed: 1 });
  });

  test('syn_received: rst → closed without an error', () => {
    const { socket, events } = accepted();
    socket.poll(0);
    socket.segmentArrived(
      { srcPort: 80, dstPort: 49152, seq: PEER_ISS + 1, ack: 0, flags: TCP_RST, window: 0, payload: EMPTY },
      1,
    );
    assert.equal(socket.state, 'closed');
    assert.equal(socket.error, undefined);
    assert.equal(events.closed, 1);
  });
});

describe('tcp socket: sending', () => {
  test('established: write is cut into MSS segments, bounded by the in-flight cap', () => {
    const { socket, take, establish } = scripted({ config: { maxInFlightSegments: 8 } });
    establish();
    socket.write(bytes(20 * 1460));
    socket.poll(1);
    const segments = take();
    assert.equal(segments.length, 8);
    assert.ok(segments.every((s) => s.payload.length === 1460));
    assert.equal(segments[7].flags, TCP_ACK, 'no PSH until the last byte');
  });

  test('established: the peer window bounds the data in flight', () => {
    const { socket, take, establish } = scripted();
    establish(0, { window: 3000 });
    socket.write(bytes(10_000));
    socket.poll(1);
    assert.deepEqual(
      take().map((s) => s.payload.length),
      [1460, 1460],
      'a third, 80-byte sliver waits for an ACK (sender silly-window avoidance)',
    );
  });

  test('established: ACKs slide the window and release the buffer', async () => {
    const { socket, take, from, establish, iss } = scripted({ config: { maxInFlightSegments: 2 } });
    establish();
    socket.write(bytes(5000));
    socket.poll(1);
    assert.equal(take().length, 2);
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1 + 1460 }), 2);
    const [third] = take();
    assert.equal(third.seq, iss + 1 + 2920);
    assert.equal(socket.bufferedAmount, 5000 - 1460);
    await socket.drained();
  });

  test('established: zero window → persist probes of one byte until the window opens', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish(0, { window: 0 });
    socket.write(bytes(100));
    socket.poll(1);
    assert.equal(take().length, 0);
    const probeAt = socket.pollAt()!;
    socket.poll(probeAt);
    const [probe] = take();
    assert.equal(probe.payload.length, 1);
    // The peer keeps its window shut and does not take the byte: the probe is repeated, never a timeout.
    for (let i = 0; i < 20; i++) {
      socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1, window: 0 }), socket.pollAt()! - 1);
      socket.poll(socket.pollAt()!);
      assert.equal(take().at(-1)?.payload.length, 1);
    }
    assert.equal(socket.state, 'established');
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1, window: 65535 }), socket.pollAt()! - 1);
    assert.equal(take()[0].payload.length, 100);
  });

  test('established: no ACK → go-back-N retransmission with doubling RTO from the measured RTT, then timeout', async () => {
    const { socket, take, establish } = scripted({ config: { maxRetransmits: 4, maxRtoMs: 60_000 } });
    establish();
    const read = errorOf(socket.read());
    socket.write(bytes(3000));
    socket.poll(0);
    assert.equal(take().length, 3);
    const times: number[] = [];
    while (socket.state !== 'closed') {
      const at = socket.pollAt()!;
      socket.poll(at);
      const resent = take();
      if (resent.length) {
        times.push(at);
        assert.deepEqual(
          resent.map((s) => s.payload.length),
          [1460, 1460, 80],
        );
      }
    }
    // The handshake measured an RTT of 0, so the RTO starts at its 200 ms floor and doubles.
    assert.deepEqual(times, [200, 600, 1400, 3000]);
    assert.equal(await read, 'timeout');
  });

  test('established: RTT samples set the RTO, floored at minRto', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish();
    let seq = iss + 1;
    for (let i = 0; i < 10; i++) {
      socket.write(bytes(100));
      socket.poll(i * 100);
      take();
      seq += 100;
      socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: seq }), i * 100 + 2);
    }
    socket.write(bytes(100));
    socket.poll(2000);
    assert.equal(socket.pollAt(), 2000 + DEFAULT_TCP_CONFIG.minRtoMs);
  });

  test('established: three duplicate ACKs → fast retransmit of the first unacked segment', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish();
    socket.write(bytes(5 * 1460));
    socket.poll(1);
    take();
    const dup = from({ seq: PEER_ISS + 1, ack: iss + 1 + 1460 });
    socket.segmentArrived(dup, 2);
    take();
    socket.segmentArrived(dup, 3);
    socket.segmentArrived(dup, 3);
    assert.equal(take().length, 0);
    socket.segmentArrived(dup, 3);
    const [again] = take();
    assert.equal(again.seq, iss + 1 + 1460);
    // A partial ACK during recovery resends the next hole at once.
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1 + 2920 }), 4);
    assert.equal(take()[0].seq, iss + 1 + 2920);
  });

  test('established: an ACK beyond what was sent is answered with an ACK and ignored', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish();
    socket.write(bytes(10));
    socket.poll(1);
    take();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 500 }), 2);
    const [ack] = take();
    assert.deepEqual([ack.flags, ack.payload.length], [TCP_ACK, 0]);
    assert.equal(socket.bufferedAmount, 10);
  });
});

describe('tcp socket: receiving', () => {
  test('established: in-order data is readable and ACKed', async () => {
    const { socket, take, from, establish } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, flags: TCP_ACK | TCP_PSH, payload: Buffer.from('hello') }), 1);
    const [ack] = take();
    assert.equal(ack.ack, PEER_ISS + 6);
    assert.equal(ack.window, 65535 - 5);
    assert.equal(text((await socket.read())!), 'hello');
  });

  test('established: out-of-order data → duplicate ACK, then reassembled in order', async () => {
    const { socket, take, from, establish } = scripted();
    establish();
    const seq = PEER_ISS + 1;
    socket.segmentArrived(from({ seq: seq + 5, payload: Buffer.from('world') }), 1);
    socket.segmentArrived(from({ seq: seq + 10, payload: Buffer.from('!'), flags: TCP_ACK | TCP_FIN }), 1);
    assert.deepEqual(
      take().map((s) => s.ack),
      [seq, seq],
    );
    socket.segmentArrived(from({ seq, payload: Buffer.from('hello') }), 2);
    assert.equal(take()[0].ack, seq + 12);
    const chunks: string[] = [];
    for await (const chunk of socket) chunks.push(text(chunk));
    assert.equal(chunks.join(''), 'helloworld!');
    assert.equal(socket.state, 'close-wait');
  });

  test('established: duplicate and overlapping data is delivered once', async () => {
    const { socket, from, establish } = scripted();
    establish();
    const seq = PEER_ISS + 1;
    socket.segmentArrived(from({ seq, payload: Buffer.from('abc') }), 1);
    socket.segmentArrived(from({ seq, payload: Buffer.from('abc') }), 1);
    socket.segmentArrived(from({ seq: seq + 1, payload: Buffer.from('bcdef') }), 1);
    socket.segmentArrived(from({ seq: seq + 6, flags: TCP_ACK | TCP_FIN }), 1);
    const chunks: string[] = [];
    for await (const chunk of socket) chunks.push(text(chunk));
    assert.equal(chunks.join(''), 'abcdef');
  });

  test('established: fin with data → the data, then end of stream; close-wait', async () => {
    const { socket, take, from, establish } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, flags: TCP_ACK | TCP_FIN, payload: Buffer.from('bye') }), 1);
    assert.equal(take()[0].ack, PEER_ISS + 5);
    assert.equal(socket.state, 'close-wait');
    assert.equal(text((await socket.read())!), 'bye');
    assert.equal(await socket.read(), null);
  });

  test('established: the receive window closes when nobody reads and reopens after a read', async () => {
    const { socket, take, from, establish, counts } = scripted({ config: { receiveBuffer: 4000 } });
    establish();
    const seq = PEER_ISS + 1;
    socket.segmentArrived(from({ seq, payload: bytes(1460) }), 1);
    socket.segmentArrived(from({ seq: seq + 1460, payload: bytes(1460) }), 1);
    socket.segmentArrived(from({ seq: seq + 2920, payload: bytes(1460) }), 1);
    const acks = take();
    assert.equal(acks.at(-1)!.window, 0);
    assert.equal(acks.at(-1)!.ack, seq + 4000, 'the part beyond the window is dropped');
    const wakes = counts.wakes;
    await socket.read();
    await socket.read();
    assert.ok(counts.wakes > wakes, 'a reopened window asks for a poll');
    socket.poll(2);
    const [update] = take();
    assert.equal(update.window, 2920);
  });

  test('established: a segment wholly outside the window is answered with an ACK and dropped', () => {
    const { socket, take, from, establish } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 1 + 70_000, payload: Buffer.from('x') }), 1);
    socket.segmentArrived(from({ seq: PEER_ISS - 100, payload: Buffer.from('old') }), 1);
    assert.deepEqual(
      take().map((s) => s.ack),
      [PEER_ISS + 1, PEER_ISS + 1],
    );
    assert.equal(socket.readableLength, 0);
  });
});

describe('tcp socket: closing', () => {
  test('established: close → fin-wait-1 → fin-wait-2 → time-wait → closed', async () => {
    const { socket, take, from, establish, iss, counts } = scripted();
    establish();
    socket.write(Buffer.from('req'));
    socket.close();
    assert.equal(socket.state, 'fin-wait-1');
    assert.throws(() => socket.write(Buffer.from('more')), { name: 'closed' });
    socket.poll(1);
    const [last] = take();
    assert.equal(last.flags, TCP_ACK | TCP_PSH | TCP_FIN, 'the FIN rides on the data');
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 5 }), 2);
    assert.equal(socket.state, 'fin-wait-2');
    // Half-closed: the peer still sends.
    socket.segmentArrived(
      from({ seq: PEER_ISS + 1, ack: iss + 5, payload: Buffer.from('resp'), flags: TCP_ACK | TCP_FIN }),
      3,
    );
    assert.equal(socket.state, 'time-wait');
    assert.equal(text((await socket.read())!), 'resp');
    assert.equal(await socket.read(), null);
    // A retransmitted FIN is ACKed again.
    take();
    socket.segmentArrived(
      from({ seq: PEER_ISS + 1, ack: iss + 5, payload: Buffer.from('resp'), flags: TCP_ACK | TCP_FIN }),
      4,
    );
    assert.equal(take()[0].ack, PEER_ISS + 6);
    socket.poll(socket.pollAt()!);
    assert.equal(socket.state, 'closed');
    assert.equal(counts.closed, 1);
    assert.equal(socket.error, undefined);
  });

  test('close_wait: close → last-ack → closed when the FIN is acked', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, flags: TCP_ACK | TCP_FIN }), 1);
    assert.equal(socket.state, 'close-wait');
    socket.close();
    assert.equal(socket.state, 'last-ack');
    socket.poll(2);
    assert.equal(take().at(-1)!.flags, TCP_ACK | TCP_FIN);
    socket.segmentArrived(from({ seq: PEER_ISS + 2, ack: iss + 2 }), 3);
    assert.equal(socket.state, 'closed');
  });

  test('fin_wait_1: simultaneous close → closing → time-wait', () => {
    const { socket, take, from, establish, iss } = scripted();
    establish();
    socket.close();
    socket.poll(1);
    take();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1, flags: TCP_ACK | TCP_FIN }), 2);
    assert.equal(socket.state, 'closing');
    socket.segmentArrived(from({ seq: PEER_ISS + 2, ack: iss + 2 }), 3);
    assert.equal(socket.state, 'time-wait');
  });

  test('fin_wait_1: a lost FIN is retransmitted', () => {
    const { socket, take, establish } = scripted();
    establish();
    socket.close();
    socket.poll(1);
    take();
    socket.poll(socket.pollAt()!);
    assert.equal(take()[0].flags & TCP_FIN, TCP_FIN);
  });

  test('established: rst in window → reset; reads fail', async () => {
    const { socket, from, establish } = scripted();
    establish();
    const read = errorOf(socket.read());
    socket.segmentArrived(from({ seq: PEER_ISS + 1, flags: TCP_RST }), 1);
    assert.equal(await read, 'reset');
    assert.throws(() => socket.write(bytes(1)), { name: 'reset' });
  });

  test('established: rst out of window is ignored', () => {
    const { socket, from, establish } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 100_000, flags: TCP_RST }), 1);
    assert.equal(socket.state, 'established');
  });

  test('established: syn in window → RST and reset', () => {
    const { socket, take, from, establish } = scripted();
    establish();
    socket.segmentArrived(from({ seq: PEER_ISS + 1, flags: TCP_SYN }), 1);
    assert.equal(take()[0].flags & TCP_RST, TCP_RST);
    assert.equal(socket.error?.name, 'reset');
  });

  test('established: abort → RST to the peer, reads fail with aborted', async () => {
    const { socket, take, establish, iss } = scripted();
    establish();
    const read = errorOf(socket.read());
    socket.abort();
    const [rst] = take();
    assert.deepEqual([rst.flags, rst.seq], [TCP_RST | TCP_ACK, iss + 1]);
    assert.equal(await read, 'aborted');
  });
});

describe('tcp socket: sequence wraparound', () => {
  test('both sides near 2^32: data crosses zero in each direction', async () => {
    const iss = 0xffffffff - 1000;
    const { socket, take, from } = scripted({ iss });
    const peerIss = 0xffffffff - 10;
    socket.poll(0);
    take();
    socket.segmentArrived(from({ seq: peerIss, ack: iss + 1, flags: TCP_SYN | TCP_ACK, options: { mss: 1460 } }), 0);
    take();
    socket.write(bytes(3000));
    socket.poll(1);
    const segments = take();
    assert.deepEqual(
      segments.map((s) => s.seq),
      [iss + 1, seqAdd(iss, 1 + 1460), seqAdd(iss, 1 + 2920)],
    );
    socket.segmentArrived(from({ seq: seqAdd(peerIss, 1), ack: seqAdd(iss, 3001), payload: bytes(100) }), 2);
    assert.equal(socket.bufferedAmount, 0);
    const [ack] = take();
    assert.equal(ack.ack, seqAdd(peerIss, 101));
    assert.deepEqual(await socket.read(), bytes(100));
  });
});

describe('tcp socket: window scaling (RFC 7323)', () => {
  const LARGE = { mss: 65495, windowScale: 5, receiveBuffer: 1 << 20 };

  test('syn_sent: the SYN offers our shift; a SYN-ACK without one leaves windows unscaled', () => {
    const { socket, take } = scripted({ config: LARGE });
    socket.poll(0);
    const [syn] = take();
    assert.deepEqual(syn.options, { mss: 65495, windowScale: 5 });
    assert.equal(syn.window, 65535, "a SYN's window is never scaled");
    const other = scripted({ config: LARGE });
    other.establish(0, { options: { mss: 65495 } });
    other.socket.write(bytes(200_000));
    other.socket.poll(1);
    // The peer's window of 65535 is taken as bytes: one full segment fits, the 40-byte rest waits (no sliver).
    const inFlight = other.take().reduce((n, s) => n + s.payload.length, 0);
    assert.equal(inFlight, 65495);
  });

  test('both offered: the peer window is shifted, ours is advertised shifted', () => {
    const { socket, take, establish, from, iss } = scripted({ config: LARGE });
    establish(0, { options: { mss: 65495, windowScale: 3 }, window: 65535 });
    // After the handshake the peer offers 32768 << 3 = 256 KiB.
    socket.segmentArrived(from({ seq: PEER_ISS + 1, ack: iss + 1, window: 32768 }), 1);
    socket.write(bytes(600_000));
    socket.poll(2);
    const segments = take();
    assert.equal(
      segments.reduce((n, s) => n + s.payload.length, 0),
      4 * 65495,
      'four full segments in 256 KiB',
    );
    assert.ok(segments.every((s) => s.payload.length <= 65495));
    // Our receive window (1 MiB) goes out as 1 MiB >> 5.
    assert.equal(segments[0]!.window, (1 << 20) >> 5);
  });

  test('syn_received: a SYN-ACK offers a shift only to a peer whose SYN did', () => {
    for (const peerScale of [undefined, 2]) {
      const sent: TcpSegment[] = [];
      const syn = peerSyn({ options: { mss: 1460, ...(peerScale !== undefined && { windowScale: peerScale }) } });
      const socket = TcpSocket.accept(
        ENDPOINT,
        syn,
        { output: (s) => sent.push(s), wake: () => {}, closed: () => {} },
        { ...DEFAULT_TCP_CONFIG, ...LARGE },
        1000,
      );
      socket.poll(0);
      const synAck = sent.find((s) => s.flags === (TCP_SYN | TCP_ACK));
      assert.ok(synAck);
      assert.equal(synAck.options?.windowScale, peerScale === undefined ? undefined : 5);
    }
  });
});
