// Raw NIC: ICMP echo between the host stack (worker/net) and a guest's own stack, with no TCP or HTTP on the
// way, so a frame's cost (small frames: echoes/s) and a byte's cost (the largest frames the link takes: MB/s)
// show apart. virtio-net with 64 KiB frames against the NE2000 with 1500-byte ones, in the same run. And what one
// HTTP request costs the guest, in x86 instructions (v86 counts them): the same on any machine, so a change to the
// guest's stack shows without noise.
import { readFile } from 'node:fs/promises';
import { createNodeMachine, imagePath, loadCatalog, v86Module } from '../cli/node-host.ts';
import { Emulator, nicMtu } from '../worker/emulator.ts';
import { NetLink } from '../worker/net-link.ts';
import { row, type BenchOptions, type BenchResult } from './lib.ts';

type Nic = 'virtio' | 'ne2k';

/** Echo requests kept in flight: enough to keep both directions busy, no more than an NE2000 ring holds. */
const IN_FLIGHT = 4;
/** IPv4 and ICMP headers in a frame's MTU. */
const HEADERS = 28;
const READY_TIMEOUT_MS = 30_000;

/** A kv guest on `nic` with the host stack wired to it, once it printed READY and has its address. */
async function bootKv(nic: Nic, onReply: () => void): Promise<{ emulator: Emulator; link: NetLink; ip: number }> {
  const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;
  const kernel = await readFile(imagePath(kv.image));
  let console = '';
  // The link exists before the emulator it delivers to.
  const wire: { emulator?: Emulator } = {};
  const link = new NetLink({
    name: 'kv',
    mtu: nicMtu(nic),
    deliver: (frame) => wire.emulator?.receiveFrame(frame),
    room: () => wire.emulator?.nicRoom(),
    onEchoReply: onReply,
  });
  const emulator = await Emulator.start({
    kernel: kernel.buffer.slice(kernel.byteOffset, kernel.byteOffset + kernel.byteLength),
    memory: kv.memory,
    nic,
    wasm: await v86Module(),
    onSerial: (byte) => (console += String.fromCharCode(byte)),
    onFrame: (frame) => link.receive(frame),
  });
  wire.emulator = emulator;
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!/^READY kv/m.test(console) || !link.network.guest) {
    if (performance.now() > deadline) throw new Error(`nic bench: kv on ${nic} never got ready:\n${console}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { emulator, link, ip: link.network.guest.ip };
}

/** Echo round trips per second with `payload` bytes each, IN_FLIGHT at a time; one sample per 500 ms. */
async function echoes(nic: Nic, payload: number, samples: number): Promise<number[]> {
  let replies = 0;
  let sent = 0;
  const data = new Uint8Array(payload).fill(0x5a);
  let send: () => void = () => {};
  const { emulator, link, ip } = await bootKv(nic, () => {
    replies++;
    send();
  });
  send = () => link.network.ping(ip, 1, sent++ & 0xffff, data, performance.now());
  try {
    for (let i = 0; i < IN_FLIGHT; i++) send();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // warm up: ARP, the JIT
    const rates: number[] = [];
    for (let i = 0; i < samples; i++) {
      const [start, t0] = [replies, performance.now()];
      await new Promise((resolve) => setTimeout(resolve, 500));
      rates.push(((replies - start) * 1000) / (performance.now() - t0));
    }
    return rates;
  } finally {
    send = () => {};
    link.close();
    await emulator.destroy();
  }
}

/** The headers Chromium sends with a page's fetch(), as the gateway hands them to the guest. */
const BROWSER_HEADERS: [string, string][] = [
  ['accept', '*/*'],
  ['referer', 'http://127.0.0.1:4183/'],
  ['sec-ch-ua', '"Chromium";v="131", "Not_A Brand";v="24"'],
  ['sec-ch-ua-mobile', '?0'],
  ['sec-ch-ua-platform', '"Linux"'],
  [
    'user-agent',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  ],
];

/** x86 instructions kv runs per GET of a 1-byte value on one keep-alive connection, per round of `gets`. */
async function instructionsPerGet(rounds: number, gets: number): Promise<number[]> {
  const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;
  const machine = createNodeMachine();
  try {
    await machine.boot({ appliance: kv }, () => {});
    const counter = (machine as unknown as { emulator: { v86: { get_instruction_counter(): number } } }).emulator.v86;
    const get = { port: 80, method: 'GET', target: '/keys/tiny', headers: BROWSER_HEADERS, body: null };
    await machine.request({ ...get, method: 'PUT', body: new TextEncoder().encode('x').buffer as ArrayBuffer });
    const counts: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const start = counter.get_instruction_counter();
      for (let i = 0; i < gets; i++) await machine.request(get);
      counts.push(((counter.get_instruction_counter() - start) >>> 0) / gets); // the counter is 32 bits
    }
    return counts;
  } finally {
    await machine.stop();
  }
}

/** Both directions' payload bytes per second, in MB/s, from echo rates. */
const megabytes = (rates: number[], payload: number): number[] => rates.map((r) => (2 * r * payload) / 1e6);

export async function nicBench({ quick }: BenchOptions): Promise<BenchResult> {
  const samples = quick ? 2 : 20;
  const small = 56;
  const virtioBig = nicMtu('virtio') - HEADERS;
  const ne2kBig = nicMtu('ne2k') - HEADERS;
  const [virtioSmall, ne2kSmall] = [await echoes('virtio', small, samples), await echoes('ne2k', small, samples)];
  const [virtioLarge, ne2kLarge] = [await echoes('virtio', virtioBig, samples), await echoes('ne2k', ne2kBig, samples)];
  const rows = [
    row(`raw NIC: ICMP echo of ${small + HEADERS + 14}-byte frames, virtio-net`, 'echoes/s', virtioSmall, {
      name: 'NE2000',
      samples: ne2kSmall,
    }),
    row(
      `raw NIC: ICMP echo of the largest frames, virtio-net (${virtioBig + HEADERS + 14} bytes), both ways`,
      'MB/s',
      megabytes(virtioLarge, virtioBig),
      { name: `NE2000 (${ne2kBig + HEADERS + 14} bytes)`, samples: megabytes(ne2kLarge, ne2kBig) },
    ),
    row(
      "kv: guest instructions per GET of a tiny value, a browser's headers, one keep-alive connection (v86)",
      'instructions',
      await instructionsPerGet(quick ? 2 : 5, quick ? 50 : 1000),
    ),
  ];
  return { name: 'nic', date: new Date().toISOString(), quick, rows };
}
