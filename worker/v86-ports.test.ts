// v86's I/O port table with one shared entry for the ports no device has (v86-ports.ts), on real machines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog, v86Module } from '../cli/node-host.ts';
import { BlankMachine } from './emulator.ts';
import { machineShape } from './shape.ts';

const catalog = await loadCatalog();
const kv = catalog.find((a) => a.id === 'kv')!;
const hello = catalog.find((a) => a.id === 'hello')!;

/** The parts of v86's IO bus the tests use: its table, and the guest's `in` and `out`. */
interface Io {
  ports: { device: unknown }[];
  port_read8(port: number): number;
  port_read32(port: number): number;
  port_write32(port: number, value: number): void;
}

/** A machine of `appliance`'s shape, its IO bus, and a function that frees it. */
async function machineOf(id: string) {
  const appliance = catalog.find((a) => a.id === id)!;
  const v86 = (await BlankMachine.build(machineShape(appliance)!, await v86Module())).take();
  const cpu = (v86 as unknown as { v86: { cpu: { io: Io; devices: Record<string, unknown> } } }).v86.cpu;
  return { io: cpu.io, devices: cpu.devices, destroy: () => v86.destroy() };
}

/** PCI configuration space through ports 0xCF8/0xCFC, as a guest reads and writes it (bus 0, function 0). */
function pciConfig(io: Io, slot: number, register: number) {
  const address = (0x80000000 | (slot << 11) | register) >>> 0;
  return {
    read: () => (io.port_write32(0xcf8, address | 0), io.port_read32(0xcfc) >>> 0),
    write: (value: number) => (io.port_write32(0xcf8, address | 0), io.port_write32(0xcfc, value)),
  };
}

// First: only the first machine of a process is watched for.
test('an object that is not v86 keeps a `ports` it is given while the first machine is built', async () => {
  const wasm = await v86Module();
  const built = BlankMachine.build(machineShape(hello)!, wasm);
  assert.ok(Object.prototype.hasOwnProperty.call(Object.prototype, 'ports'), 'the first machine is watched for');
  const other: { ports?: number[] } = {};
  other.ports = [80];
  assert.deepEqual(Object.keys(other), ['ports']);
  assert.deepEqual(other.ports, [80]);
  await (await built).destroy();
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'ports'), false);
});

test('a machine shares one frozen entry among the ports no device has', async () => {
  for (const id of [kv.id, hello.id]) {
    const { io, destroy } = await machineOf(id);
    const counts = new Map<object, number>();
    for (const entry of io.ports) counts.set(entry, (counts.get(entry) ?? 0) + 1);
    const [shared, most] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    assert.ok(most > 60_000, `${id}: the most shared entry serves ${most} ports`);
    assert.ok(counts.size < 2000, `${id}: ${counts.size} distinct entries`);
    assert.ok(Object.isFrozen(shared));
    assert.equal(io.port_read8(0xf000), 0xff, 'an empty port reads all ones');
    await destroy();
  }
});

test("a NIC's ports have entries of their own, and moving its PCI BAR carries them", async () => {
  const { io, devices, destroy } = await machineOf(kv.id);
  // virtio-net at 00:0a.0; its BAR0 is an I/O BAR with the common configuration first.
  const bar0 = pciConfig(io, 0x0a, 0x10);
  const base = bar0.read() & ~3;
  assert.equal(io.ports[base]!.device, (devices['virtio_net'] as { virtio: unknown }).virtio);
  const before = [0, 4, 8, 0x12, 0x14].map((offset) => io.port_read8(base + offset));
  const moved = base + 0x1000;
  bar0.write(moved | 1);
  assert.equal(bar0.read() & ~3, moved);
  assert.deepEqual(
    [0, 4, 8, 0x12, 0x14].map((offset) => io.port_read8(moved + offset)),
    before,
  );
  assert.equal(io.port_read8(base), 0xff, 'the old place is empty');
  assert.ok(Object.isFrozen(io.ports[base]));
  await destroy();
});
