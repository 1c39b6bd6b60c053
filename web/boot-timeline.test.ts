// The boot timeline's one axis: page, worker and guest stages in time order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BootTimeline } from '../worker/protocol.ts';
import { bootStages, resumedFromSnapshot, timelineText } from './boot-timeline.ts';

const cold: BootTimeline = {
  origin: 1_700_000_000_040,
  host: {
    'image-loaded': 3,
    'wasm-ready': 60,
    'emulator-started': 61,
    'kernel-entry': 69.8,
    ready: 140,
    'first-request': 900,
  },
  guest: {
    'kernel-entry': 0,
    cpu: 0.2,
    time: 2.5,
    devices: 2.6,
    nic: 3,
    'dhcp-bound': 70,
    listening: 70.1,
    ready: 70.2,
  },
};

test('worker stages are offset by when boot() began; guest stages start at the kernel entry the host saw', () => {
  const stages = bootStages(cold, 1_700_000_000_000);
  assert.deepEqual(
    stages.map((s) => [s.id, s.source, Math.round(s.ms * 10) / 10]),
    [
      ['worker-start', 'page', 0],
      ['boot-called', 'worker', 40],
      ['image-loaded', 'worker', 43],
      ['wasm-ready', 'worker', 100],
      ['emulator-started', 'worker', 101],
      ['guest-kernel-entry', 'guest', 109.8],
      ['guest-cpu', 'guest', 110],
      ['guest-time', 'guest', 112.3],
      ['guest-devices', 'guest', 112.4],
      ['guest-nic', 'guest', 112.8],
      ['guest-dhcp-bound', 'guest', 179.8],
      ['guest-listening', 'guest', 179.9],
      ['guest-ready', 'guest', 180],
      ['ready', 'worker', 180],
      ['first-request', 'worker', 940],
    ],
  );
  assert.equal(stages.find((s) => s.id === 'guest-dhcp-bound')?.label, 'DHCP bound');
  const early = { ...cold, host: { 'image-loaded': 3, 'emulator-started': 61 } };
  assert.equal(bootStages(early, 1_700_000_000_000).find((s) => s.id === 'guest-nic')?.ms, 104);
});

test('without the page start, time zero is boot(); a resumed machine has no guest stages', () => {
  assert.equal(bootStages(cold)[0]?.id, 'image-loaded');
  const resumed: BootTimeline = {
    host: { 'snapshot-loaded': 20, 'wasm-ready': 50, 'emulator-started': 52, ready: 53 },
    guest: {},
  };
  assert.ok(resumedFromSnapshot(resumed));
  assert.ok(!resumedFromSnapshot(cold));
  assert.deepEqual(
    bootStages(resumed).map((s) => s.id),
    ['snapshot-loaded', 'wasm-ready', 'emulator-started', 'ready'],
  );
});

test('the text version has one aligned line per stage, with the step from the previous one', () => {
  const text = timelineText('kv', bootStages(cold, 1_700_000_000_000), false);
  const lines = text.split('\n');
  assert.equal(lines[0], 'kv boot timeline, ms since the page started the worker');
  assert.equal(lines.length, 16);
  assert.equal(lines[4], '    100.0     +57.0  worker  v86 set up (RAM, devices)');
  assert.equal(lines[11], '    179.8     +67.0  guest   DHCP bound');
  assert.match(timelineText('linux', [], true), /\(resumed from snapshot\)$/);
});
