import { NetError, type NetErrorCode } from './errors.ts';
import { formatIp, type Ip } from './ipv4.ts';
import {
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  seqAdd,
  seqDiff,
  seqGt,
  seqLe,
  seqLt,
  type TcpSegment,
} from './tcp.ts';

/** The RFC 793 connection states. */
export type TcpState =
  | 'closed'
  | 'syn-sent'
  | 'syn-received'
  | 'established'
  | 'fin-wait-1'
  | 'fin-wait-2'
  | 'close-wait'
  | 'closing'
  | 'last-ack'
  | 'time-wait';

/** Tunables of host TCP; the defaults suit one emulated NIC on a virtual LAN. */
export interface TcpConfig {
  /** The MSS we advertise: the link's MTU minus the IPv4 and TCP headers (1460 on a 1500-byte link). */
  mss: number;
  /** Our RFC 7323 window shift, offered in every SYN; undefined offers none (windows stay below 64 KiB). */
  windowScale?: number;
  /** Data in flight is capped at this many segments: v86's NE2000 holds ~8 full frames and drops the rest silently. */
  maxInFlightSegments: number;
  /** Bytes buffered for the reader; also the largest window advertised (at most 65535 unless both sides scale). */
  receiveBuffer: number;
  /** write() returns false once this many bytes wait for an acknowledgement. */
  sendHighWater: number;
  /** RFC 6298 initial retransmission timeout. */
  initialRtoMs: number;
  /** The floor of the RTO; lower than RFC 6298's 1 s because the link is a LAN in the same process. */
  minRtoMs: number;
  maxRtoMs: number;
  /** Consecutive unanswered retransmissions before the connection fails with 'timeout'. */
  maxRetransmits: number;
  /** A handshake not done by then fails with 'timeout'. */
  connectTimeoutMs: number;
  /** How long a closed connection lingers to acknowledge a retransmitted FIN (2 MSL on a LAN). */
  timeWaitMs: number;
}

/** The default host TCP configuration. */
export const DEFAULT_TCP_CONFIG: Readonly<TcpConfig> = {
  mss: 1460,
  maxInFlightSegments: 8,
  receiveBuffer: 65535,
  sendHighWater: 256 * 1024,
  initialRtoMs: 1000,
  minRtoMs: 200,
  maxRtoMs: 5000,
  maxRetransmits: 8,
  connectTimeoutMs: 10_000,
  timeWaitMs: 1000,
};

/** RFC 1122: the MSS to assume when the peer sends no MSS option. */
const DEFAULT_PEER_MSS = 536;
const MIN_PEER_MSS = 64;
const MAX_WINDOW = 0xffff;
/** RFC 7323's largest window shift. */
const MAX_WINDOW_SCALE = 14;
const DUP_ACK_THRESHOLD = 3;
/** Out-of-order segments kept for reassembly; more are dropped and retransmitted by the peer. */
const MAX_OUT_OF_ORDER = 16;
const CLOCK_GRANULARITY_MS = 1;
const EMPTY = new Uint8Array(0);

/** The two ends of a connection. */
export interface TcpEndpoint {
  localIp: Ip;
  localPort: number;
  remoteIp: Ip;
  remotePort: number;
}

/** How a socket reaches the network that owns it. */
export interface TcpSocketHost {
  /** Sends a segment to the peer. */
  output(segment: TcpSegment): void;
  /** Asks for a poll() soon: the application queued work. */
  wake(): void;
  /** The socket reached 'closed' and can be forgotten. */
  closed(socket: TcpSocket): void;
  /** A passively opened socket completed its handshake. */
  opened?(socket: TcpSocket): void;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

interface OutOfOrder {
  seq: number;
  data: Uint8Array;
  fin: boolean;
}

/** A FIFO of byte chunks that can be read at any offset without copying into one buffer. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  drop(count: number): void {
    this.length -= count;
    while (count > 0) {
      const available = this.chunks[0].length - this.head;
      if (count < available) {
        this.head += count;
        return;
      }
      count -= available;
      this.chunks.shift();
      this.head = 0;
    }
  }

  peek(offset: number, count: number): Uint8Array {
    const out = new Uint8Array(count);
    let skip = this.head + offset;
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === count) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const part = chunk.subarray(skip, skip + count - filled);
      out.set(part, filled);
      filled += part.length;
      skip = 0;
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.length = 0;
  }
}

/**
 * One TCP connection: the RFC 793 state machine with MSS, a send window bounded by the peer's window and an
 * in-flight cap, RFC 6298 retransmission, fast retransmit, out-of-order reassembly and half-close. Segments come
 * in through segmentArrived(), timers run in poll(now); the application uses write/close/read/abort.
 */
export class TcpSocket implements TcpEndpoint, AsyncIterable<Uint8Array> {
  readonly localIp: Ip;
  readonly localPort: number;
  readonly remoteIp: Ip;
  readonly remotePort: number;
  /** Why the connection failed, once it has. */
  error: NetError | undefined;
  /** Called whenever data, end of stream, an error or drain may have arrived; for watchers such as a pool. */
  onchange: (() => void) | undefined;

  private currentState: TcpState;
  private readonly passive: boolean;
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  private sndMax: number;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private sndMss = DEFAULT_PEER_MSS;
  /** The peer's window shift and ours: both 0 unless both SYNs offered window scaling. */
  private sndScale = 0;
  private rcvScale = 0;
  private scaled = false;
  private readonly sendQueue = new ByteQueue();
  /** The sequence number of the first byte in sendQueue. */
  private sendQueueSeq: number;
  private finQueued = false;

  private rcvNxt = 0;
  private received: Uint8Array[] = [];
  private receivedBytes = 0;
  private remoteFin = false;
  private outOfOrder: OutOfOrder[] = [];
  private advertisedEdge = 0;
  private ackNeeded = false;

  private rto: number;
  private srtt: number | undefined;
  private rttvar = 0;
  private rttSeq: number | undefined;
  private rttStart = 0;
  private retries = 0;
  private dupAcks = 0;
  /** While set, fast recovery is under way until this sequence number is acknowledged (RFC 6582). */
  private recover: number | undefined;
  private timerAt: number | undefined;
  private connectDeadline: number | undefined;
  private timeWaitUntil: number | undefined;
  private pendingWork = false;
  /** A one-byte persist probe is out; when the window opens, resend from sndUna rather than after the probe. */
  private probing = false;

  private wasOpened = false;
  private openWaiters: Waiter<void>[] = [];
  private drainWaiters: Waiter<void>[] = [];
  private reader: Waiter<Uint8Array | null> | undefined;

  private constructor(
    endpoint: TcpEndpoint,
    private readonly host: TcpSocketHost,
    private readonly config: TcpConfig,
    iss: number,
    state: 'syn-sent' | 'syn-received',
  ) {
    this.localIp = endpoint.localIp;
    this.localPort = endpoint.localPort;
    this.remoteIp = endpoint.remoteIp;
    this.remotePort = endpoint.remotePort;
    this.iss = iss >>> 0;
    this.sndUna = this.sndNxt = this.sndMax = this.iss;
    this.sendQueueSeq = seqAdd(this.iss, 1);
    this.rto = config.initialRtoMs;
    this.currentState = state;
    this.passive = state === 'syn-received';
    this.pendingWork = true;
  }

  /** Opens a connection actively: the SYN goes out on the next poll(). */
  static connect(endpoint: TcpEndpoint, host: TcpSocketHost, config: TcpConfig, iss: number): TcpSocket {
    return new TcpSocket(endpoint, host, config, iss, 'syn-sent');
  }

  /** Answers a SYN passively: the SYN-ACK goes out on the next poll(); host.opened() fires when established. */
  static accept(
    endpoint: TcpEndpoint,
    syn: TcpSegment,
    host: TcpSocketHost,
    config: TcpConfig,
    iss: number,
  ): TcpSocket {
    const socket = new TcpSocket(endpoint, host, config, iss, 'syn-received');
    socket.synchronize(syn);
    return socket;
  }

  /** The connection state. */
  get state(): TcpState {
    return this.currentState;
  }

  /** Bytes written but not yet acknowledged by the peer. */
  get bufferedAmount(): number {
    return this.sendQueue.length;
  }

  /** Bytes received and not yet read. */
  get readableLength(): number {
    return this.receivedBytes;
  }

  /** Resolves once the connection is established; rejects with 'refused' or 'timeout'. */
  opened(): Promise<void> {
    if (this.wasOpened) return Promise.resolve();
    if (this.error) return Promise.reject(this.error);
    if (this.currentState === 'closed') return Promise.reject(new NetError('closed', 'the socket is closed'));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  /** Queues bytes to send (copied); false when the buffer is above its high-water mark, see drained(). */
  write(data: Uint8Array): boolean {
    if (this.error) throw this.error;
    if (this.finQueued || this.currentState === 'closed') throw new NetError('closed', 'write after close()');
    if (data.length > 0) {
      this.sendQueue.push(data.slice());
      this.requestPoll();
    }
    return this.sendQueue.length < this.config.sendHighWater;
  }

  /** Resolves when the send buffer falls below its high-water mark. */
  drained(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.sendQueue.length < this.config.sendHighWater) return Promise.resolve();
    return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** Half-closes: a FIN follows the data already written; reading goes on until the peer's FIN. */
  close(): void {
    if (this.finQueued || this.currentState === 'closed') return;
    this.finQueued = true;
    if (this.currentState === 'established') this.currentState = 'fin-wait-1';
    if (this.currentState === 'close-wait') this.currentState = 'last-ack';
    this.requestPoll();
  }

  /** Resets the connection (RST to the peer); pending and later reads fail with 'aborted'. */
  abort(): void {
    if (this.currentState === 'closed') return;
    if (this.currentState === 'time-wait') return this.terminate();
    if (this.currentState !== 'syn-sent') this.sendRst(this.sndNxt, true);
    this.fail('aborted', 'the connection was aborted');
  }

  /** The next chunk of received bytes, or null once the peer has closed its side; rejects on failure. */
  read(): Promise<Uint8Array | null> {
    if (this.reader) return Promise.reject(new Error('TcpSocket.read: another read is pending'));
    const chunk = this.takeChunk();
    if (chunk) return Promise.resolve(chunk);
    if (this.error) return Promise.reject(this.error);
    if (this.remoteFin || this.currentState === 'closed') return Promise.resolve(null);
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  /** Iterates over received chunks until the peer's FIN; throws the connection's error. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }

  /** Handles a segment addressed to this connection. */
  segmentArrived(segment: TcpSegment, now: number): void {
    if (this.currentState === 'closed') return;
    if (this.currentState === 'syn-sent') this.synSentArrived(segment, now);
    else this.synchronizedArrived(segment, now);
    this.flush(now);
    this.notify();
  }

  /** Runs due timers and sends what the windows allow. */
  poll(now: number): void {
    if (this.currentState === 'closed') return;
    if (this.currentState === 'time-wait' && now >= (this.timeWaitUntil ?? now)) return this.terminate();
    if (this.connectDeadline !== undefined && now >= this.connectDeadline) {
      // A half-open passive connection just goes away; nobody is waiting for it.
      if (this.passive) return this.terminate();
      return this.fail('timeout', `connecting to ${this.peerName()} timed out`);
    }
    const probe = this.timerAt !== undefined && now >= this.timerAt && this.timerExpired();
    this.flush(now, probe);
    this.notify();
  }

  /** When poll() must next run; a time at or before now means as soon as possible, undefined never. */
  pollAt(): number | undefined {
    if (this.currentState === 'closed') return undefined;
    if (this.pendingWork) return 0;
    if (this.currentState === 'time-wait') return this.timeWaitUntil;
    let at = this.timerAt;
    if (this.connectDeadline !== undefined && (at === undefined || this.connectDeadline < at))
      at = this.connectDeadline;
    return at;
  }

  private peerName(): string {
    return `${formatIp(this.remoteIp)}:${this.remotePort}`;
  }

  private requestPoll(): void {
    this.pendingWork = true;
    this.host.wake();
  }

  // Records the peer's SYN: its sequence number, MSS and window.
  private synchronize(syn: TcpSegment): void {
    this.rcvNxt = seqAdd(syn.seq, 1);
    const mss = syn.options?.mss ?? DEFAULT_PEER_MSS;
    this.sndMss = Math.max(MIN_PEER_MSS, Math.min(mss, this.config.mss));
    const peerScale = syn.options?.windowScale;
    if (peerScale !== undefined && this.config.windowScale !== undefined) {
      this.sndScale = Math.min(peerScale, MAX_WINDOW_SCALE);
      this.rcvScale = Math.min(this.config.windowScale, MAX_WINDOW_SCALE);
      this.scaled = true;
    }
    this.sndWnd = syn.window;
    this.sndWl1 = syn.seq;
    this.sndWl2 = syn.ack;
  }

  private synSentArrived(segment: TcpSegment, now: number): void {
    const { flags } = segment;
    const ackOk = (flags & TCP_ACK) !== 0 && segment.ack === this.sndMax;
    if (flags & TCP_ACK && !ackOk) {
      if (!(flags & TCP_RST)) this.sendRst(segment.ack, false);
      return;
    }
    if (flags & TCP_RST) {
      if (ackOk) this.fail('refused', `${this.peerName()} refused the connection`);
      return;
    }
    if (!(flags & TCP_SYN)) return;
    this.synchronize(segment);
    this.ackNeeded = true;
    if (!ackOk) {
      // Simultaneous open: answer with SYN-ACK.
      this.currentState = 'syn-received';
      this.sndNxt = this.iss;
      return;
    }
    this.established();
    this.ackArrived(segment, now);
    const fin = (flags & TCP_FIN) !== 0;
    if (segment.payload.length > 0 || fin) this.acceptText(seqAdd(segment.seq, 1), segment.payload, fin, now);
  }

  private synchronizedArrived(segment: TcpSegment, now: number): void {
    const { flags } = segment;
    const fin = (flags & TCP_FIN) !== 0;
    // With a zero window only the ACK of a segment at rcvNxt is used (RFC 793 "special allowance").
    if (!this.acceptable(segment) && segment.seq !== this.rcvNxt) {
      if (!(flags & TCP_RST)) this.ackNeeded = true;
      if (this.currentState === 'time-wait' && fin) this.timeWaitUntil = now + this.config.timeWaitMs;
      return;
    }
    if (this.currentState === 'time-wait') {
      if (flags & TCP_RST) this.terminate();
      return;
    }
    if (flags & TCP_RST) {
      if (this.passive && this.currentState === 'syn-received') return this.terminate();
      return this.fail('reset', `${this.peerName()} reset the connection`);
    }
    if (flags & TCP_SYN) {
      // A SYN inside the window means the peer lost this connection's state.
      this.sendRst(this.sndNxt, true);
      return this.fail('reset', `${this.peerName()} restarted the connection`);
    }
    if (!(flags & TCP_ACK)) return;
    if (this.currentState === 'syn-received') {
      if (!seqLt(this.sndUna, segment.ack) || !seqLe(segment.ack, this.sndMax)) {
        this.sendRst(segment.ack, false);
        return;
      }
      this.sndWnd = this.peerWindow(segment);
      this.sndWl1 = segment.seq;
      this.sndWl2 = segment.ack;
      this.established();
    }
    if (!this.ackArrived(segment, now)) return;
    if (this.currentState === 'closed') return;
    if (segment.payload.length > 0 || fin) this.acceptText(segment.seq, segment.payload, fin, now);
  }

  private established(): void {
    this.currentState = this.finQueued ? 'fin-wait-1' : 'established';
    this.wasOpened = true;
    this.connectDeadline = undefined;
    for (const waiter of this.openWaiters.splice(0)) waiter.resolve();
    this.host.opened?.(this);
  }

  /** The most we may advertise: the buffer, within what the (scaled) window field can say. */
  private maxWindow(): number {
    return Math.min(this.config.receiveBuffer, MAX_WINDOW * 2 ** this.rcvScale);
  }

  private receiveWindow(): number {
    return Math.max(0, this.maxWindow() - this.receivedBytes);
  }

  /** The window a segment offers in bytes: a SYN's is never scaled (RFC 7323). */
  private peerWindow(segment: TcpSegment): number {
    return segment.flags & TCP_SYN ? segment.window : segment.window * 2 ** this.sndScale;
  }

  private inWindow(seq: number, window: number): boolean {
    return seqLe(this.rcvNxt, seq) && seqLt(seq, seqAdd(this.rcvNxt, window));
  }

  // RFC 793's acceptability test: does any part of the segment fall inside the receive window?
  private acceptable(segment: TcpSegment): boolean {
    const window = this.receiveWindow();
    const length = segment.payload.length;
    if (length === 0) return segment.seq === this.rcvNxt || this.inWindow(segment.seq, window);
    if (window === 0) return false;
    return this.inWindow(segment.seq, window) || this.inWindow(seqAdd(segment.seq, length - 1), window);
  }

  // Processes the ACK field; false if the segment acknowledges data never sent and must be dropped.
  private ackArrived(segment: TcpSegment, now: number): boolean {
    const { ack } = segment;
    if (seqGt(ack, this.sndMax)) {
      this.ackNeeded = true;
      return false;
    }
    if (seqLt(ack, this.sndUna)) return true;
    const advanced = seqGt(ack, this.sndUna);
    if (advanced) {
      if (this.rttSeq !== undefined && seqLe(this.rttSeq, ack)) {
        this.sampleRtt(now - this.rttStart);
        this.rttSeq = undefined;
      }
      const acked = Math.min(Math.max(seqDiff(ack, this.sendQueueSeq), 0), this.sendQueue.length);
      this.sendQueue.drop(acked);
      this.sendQueueSeq = seqAdd(this.sendQueueSeq, acked);
      this.sndUna = ack;
      if (seqLt(this.sndNxt, ack)) this.sndNxt = ack;
      this.retries = 0;
      this.dupAcks = 0;
      this.rto = this.computeRto();
      this.timerAt = this.sndUna === this.sndMax ? undefined : now + this.rto;
      // A partial ACK during recovery points at the next hole: resend it now rather than wait for the RTO.
      if (this.recover !== undefined && seqLt(ack, this.recover)) this.fastRetransmit(now);
      else this.recover = undefined;
    } else if (
      segment.payload.length === 0 &&
      !(segment.flags & (TCP_SYN | TCP_FIN)) &&
      this.peerWindow(segment) === this.sndWnd &&
      this.sndUna !== this.sndMax &&
      ++this.dupAcks === DUP_ACK_THRESHOLD
    ) {
      this.fastRetransmit(now);
    }
    // RFC 793's SND.WL1/WL2 rule keeps an older segment from shrinking the window.
    if (seqLt(this.sndWl1, segment.seq) || (this.sndWl1 === segment.seq && seqLe(this.sndWl2, ack))) {
      this.sndWnd = this.peerWindow(segment);
      this.sndWl1 = segment.seq;
      this.sndWl2 = ack;
    }
    // A peer that answers zero-window probes is alive, however long its window stays shut.
    if (this.sndWnd === 0) this.retries = 0;
    else if (this.probing) {
      this.probing = false;
      this.sndNxt = this.sndUna;
    }
    const finAcked = this.finQueued && this.sendQueue.length === 0 && ack === seqAdd(this.sendQueueSeq, 1);
    if (advanced && finAcked) this.finAcked(now);
    return true;
  }

  private finAcked(now: number): void {
    if (this.currentState === 'fin-wait-1') this.currentState = 'fin-wait-2';
    else if (this.currentState === 'closing') this.enterTimeWait(now);
    else if (this.currentState === 'last-ack') this.terminate();
  }

  private enterTimeWait(now: number): void {
    this.currentState = 'time-wait';
    this.timeWaitUntil = now + this.config.timeWaitMs;
    this.timerAt = undefined;
  }

  // Takes in-window data and FIN in order, keeping early segments for later.
  private acceptText(seq: number, payload: Uint8Array, fin: boolean, now: number): void {
    if (this.remoteFin) return;
    this.ackNeeded = true;
    const old = seqDiff(this.rcvNxt, seq);
    if (old > 0) {
      if (old > payload.length) return;
      payload = payload.subarray(old);
      seq = this.rcvNxt;
    }
    const window = this.receiveWindow() - Math.max(0, seqDiff(seq, this.rcvNxt));
    if (payload.length > window) {
      payload = payload.subarray(0, Math.max(0, window));
      fin = false;
    }
    if (seq !== this.rcvNxt) {
      if (this.outOfOrder.length < MAX_OUT_OF_ORDER && (payload.length > 0 || fin)) {
        this.outOfOrder.push({ seq, data: payload, fin });
      }
      return;
    }
    this.deliver(payload, fin, now);
    for (let progress = true; progress && !this.remoteFin;) {
      progress = false;
      for (const [i, early] of this.outOfOrder.entries()) {
        const overlap = seqDiff(this.rcvNxt, early.seq);
        if (overlap < 0) continue;
        this.outOfOrder.splice(i, 1);
        if (overlap <= early.data.length) this.deliver(early.data.subarray(overlap), early.fin, now);
        progress = true;
        break;
      }
    }
    if (this.remoteFin) this.outOfOrder = [];
  }

  private deliver(data: Uint8Array, fin: boolean, now: number): void {
    if (data.length > 0) {
      this.received.push(data);
      this.receivedBytes += data.length;
      this.rcvNxt = seqAdd(this.rcvNxt, data.length);
    }
    if (!fin) return;
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    this.remoteFin = true;
    if (this.currentState === 'established' || this.currentState === 'syn-received') this.currentState = 'close-wait';
    else if (this.currentState === 'fin-wait-1') this.currentState = 'closing';
    else if (this.currentState === 'fin-wait-2') this.enterTimeWait(now);
  }

  private takeChunk(): Uint8Array | undefined {
    const chunk = this.received.shift();
    if (!chunk) return undefined;
    this.receivedBytes -= chunk.length;
    // Receiver silly-window avoidance: announce a reopened window only once it grew by a useful amount.
    const threshold = Math.min(this.config.mss, this.maxWindow() / 2);
    const edge = seqAdd(this.rcvNxt, this.receiveWindow());
    if (!this.remoteFin && this.wasOpened && seqDiff(edge, this.advertisedEdge) >= threshold) {
      this.ackNeeded = true;
      this.requestPoll();
    }
    return chunk;
  }

  // Handles the retransmission or persist timer; true if the next flush must probe a shut window with one byte.
  private timerExpired(): boolean {
    this.timerAt = undefined;
    if (this.sndUna === this.sndMax) return true;
    if (++this.retries > this.config.maxRetransmits) {
      this.fail('timeout', `${this.peerName()} stopped answering (${this.config.maxRetransmits} retransmissions)`);
      return false;
    }
    this.rto = Math.min(this.rto * 2, this.config.maxRtoMs);
    // Go back N: NIC drops come in bursts, so everything after the hole is likely lost too.
    this.sndNxt = this.sndUna;
    this.rttSeq = undefined;
    this.dupAcks = 0;
    this.recover = undefined;
    return this.sndWnd === 0;
  }

  private fastRetransmit(now: number): void {
    this.recover ??= this.sndMax;
    const inFlight = Math.min(seqDiff(this.sndMax, this.sndUna), this.sendQueue.length);
    const length = Math.min(this.sndMss, inFlight);
    const fin = this.finQueued && length === this.sendQueue.length && seqGt(this.sndMax, seqAdd(this.sndUna, length));
    if (length > 0 || fin) this.sendData(this.sndUna, length, fin, now);
  }

  private flush(now: number, probe = false): void {
    this.pendingWork = false;
    const state = this.currentState;
    if (state === 'closed') return;
    if (state === 'syn-sent' || state === 'syn-received') {
      if (this.sndNxt === this.iss || (state === 'syn-received' && this.ackNeeded)) this.sendSyn(now);
      this.armTimer(now);
      return;
    }
    let sent = false;
    while (state !== 'time-wait') {
      const offset = seqDiff(this.sndNxt, this.sendQueueSeq);
      if (offset > this.sendQueue.length) break; // the FIN is out
      const remaining = this.sendQueue.length - offset;
      const inFlight = seqDiff(this.sndNxt, this.sndUna);
      let room = Math.min(this.sndWnd, this.config.maxInFlightSegments * this.sndMss) - inFlight;
      if (probe && inFlight === 0 && remaining > 0 && room <= 0) {
        room = 1;
        this.probing = true;
      }
      probe = false;
      let length = Math.max(0, Math.min(remaining, this.sndMss, room));
      // Sender silly-window avoidance: rather than send a sliver, wait for the ACK of what is in flight.
      if (length < remaining && length < this.sndMss && inFlight > 0) length = 0;
      const fin = this.finQueued && length === remaining;
      if (length === 0 && !fin) break;
      this.sendData(this.sndNxt, length, fin, now);
      this.sndNxt = seqAdd(this.sndNxt, length + (fin ? 1 : 0));
      if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
      sent = true;
    }
    if (this.ackNeeded && !sent) this.send(this.sndNxt, TCP_ACK, EMPTY);
    this.armTimer(now);
  }

  private armTimer(now: number): void {
    const state = this.currentState;
    if (state === 'closed' || state === 'time-wait') this.timerAt = undefined;
    else if (this.sndUna !== this.sndMax || (this.sendQueue.length > 0 && this.sndWnd === 0))
      this.timerAt ??= now + this.rto;
    else this.timerAt = undefined;
  }

  private sendSyn(now: number): void {
    const synAck = this.currentState === 'syn-received';
    // Karn: only a SYN sent once can be timed.
    this.rttSeq = this.sndMax === this.iss ? seqAdd(this.iss, 1) : undefined;
    this.rttStart = now;
    this.connectDeadline ??= now + this.config.connectTimeoutMs;
    // A SYN-ACK offers window scaling only to a peer whose SYN did.
    const scale = this.config.windowScale;
    const offer = scale !== undefined && (!synAck || this.scaled);
    this.send(this.iss, synAck ? TCP_SYN | TCP_ACK : TCP_SYN, EMPTY, {
      mss: this.config.mss,
      ...(offer && { windowScale: Math.min(scale, MAX_WINDOW_SCALE) }),
    });
    this.sndNxt = this.sndMax = seqAdd(this.iss, 1);
  }

  private sendData(seq: number, length: number, fin: boolean, now: number): void {
    const offset = seqDiff(seq, this.sendQueueSeq);
    const end = seqAdd(seq, length + (fin ? 1 : 0));
    if (seqLt(seq, this.sndMax)) this.rttSeq = undefined;
    else if (this.rttSeq === undefined) {
      this.rttSeq = end;
      this.rttStart = now;
    }
    let flags = TCP_ACK;
    if (fin) flags |= TCP_FIN;
    if (length > 0 && offset + length === this.sendQueue.length) flags |= TCP_PSH;
    this.send(seq, flags, this.sendQueue.peek(offset, length));
  }

  private send(seq: number, flags: number, payload: Uint8Array, options?: TcpSegment['options']): void {
    // The window field: a SYN's unscaled, others shifted (the bytes below the shift are not offered).
    const shift = flags & TCP_SYN ? 0 : this.rcvScale;
    const field = Math.min(MAX_WINDOW, Math.floor(this.receiveWindow() / 2 ** shift));
    const window = field * 2 ** shift;
    this.advertisedEdge = seqAdd(this.rcvNxt, window);
    this.ackNeeded = false;
    this.host.output({
      srcPort: this.localPort,
      dstPort: this.remotePort,
      seq,
      ack: flags & TCP_ACK ? this.rcvNxt : 0,
      flags,
      window: field,
      options,
      payload,
    });
  }

  private sendRst(seq: number, withAck: boolean): void {
    this.host.output({
      srcPort: this.localPort,
      dstPort: this.remotePort,
      seq,
      ack: withAck ? this.rcvNxt : 0,
      flags: withAck ? TCP_RST | TCP_ACK : TCP_RST,
      window: 0,
      payload: EMPTY,
    });
  }

  private sampleRtt(rtt: number): void {
    if (this.srtt === undefined) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
  }

  private computeRto(): number {
    if (this.srtt === undefined) return this.config.initialRtoMs;
    const rto = this.srtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttvar);
    return Math.min(Math.max(rto, this.config.minRtoMs), this.config.maxRtoMs);
  }

  private fail(code: NetErrorCode, message: string): void {
    this.error = new NetError(code, message);
    this.terminate();
  }

  // Reaches 'closed': frees the buffers, settles every waiter and tells the owner.
  private terminate(): void {
    this.currentState = 'closed';
    this.timerAt = this.connectDeadline = this.timeWaitUntil = undefined;
    this.sendQueue.clear();
    this.outOfOrder = [];
    if (this.error) {
      this.received = [];
      this.receivedBytes = 0;
    }
    const openError = this.error ?? new NetError('closed', 'the connection closed before it opened');
    for (const waiter of this.openWaiters.splice(0)) waiter.reject(openError);
    this.host.closed(this);
    this.notify();
  }

  // Settles the reader and drain waiters whose condition now holds, then tells the watcher.
  private notify(): void {
    const reader = this.reader;
    if (reader) {
      const chunk = this.takeChunk();
      if (chunk || this.error || this.remoteFin || this.currentState === 'closed') this.reader = undefined;
      if (chunk) reader.resolve(chunk);
      else if (this.error) reader.reject(this.error);
      else if (this.remoteFin || this.currentState === 'closed') reader.resolve(null);
    }
    if (this.drainWaiters.length > 0 && (this.error || this.sendQueue.length < this.config.sendHighWater)) {
      for (const waiter of this.drainWaiters.splice(0)) {
        if (this.error) waiter.reject(this.error);
        else waiter.resolve();
      }
    }
    this.onchange?.();
  }
}
