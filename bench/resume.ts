// Resume: a saved running machine → answering, against a cold boot → answering, per appliance (Node);
// and what a saved machine costs: gzip bytes in storage, characters in a share link.
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { gzipSync } from 'node:zlib';
import type { Machine } from '../worker/machine.ts';
import { HttpClient } from '../worker/net/http-client.ts';
import type { ApplianceSpec, BootRequest, SavedMachine } from '../worker/protocol.ts';
import { encodeMachine } from '../worker/saved-machine.ts';
import { createShareLink } from '../web/share-link.ts';
import { collectGarbage, row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

/** A share link's base: an origin and path of typical length. */
const LINK_BASE = 'https://tabcloud.example/';

/** Boots (or resumes) and waits until the appliance answers: its first HTTP response, or READY without a network. */
async function bootToAnswer(appliance: ApplianceSpec, request: Partial<BootRequest> = {}): Promise<[number, Machine]> {
  const machine = createNodeMachine();
  const start = performance.now();
  await machine.boot({ appliance, ...request }, () => {});
  if (appliance.ports.length > 0) {
    const network = machine.network!;
    const http = new HttpClient(network);
    const response = await http.request({ ip: network.guest!.ip, port: appliance.ports[0]!, path: '/' });
    await response.body.bytes();
    http.close();
  }
  return [performance.now() - start, machine];
}

/**
 * Boots like bootToAnswer() after a full garbage collection, then stops the machine; the ms it took. The collection
 * first, so that no sample pays for the machines before it: each one's guest RAM and v86 memory is tens of MB outside
 * V8's heap, and V8 collects it when that grows, in whichever boot comes next (kv's figures once varied 0.34× to
 * 2.28× between two runs).
 */
async function sample(appliance: ApplianceSpec, request: Partial<BootRequest>): Promise<number> {
  collectGarbage();
  const [ms, machine] = await bootToAnswer(appliance, request);
  await machine.stop();
  return ms;
}

export async function resumeBench({ quick }: BenchOptions): Promise<BenchResult> {
  const runs = quick ? 2 : 20;
  const rows: Row[] = [];
  for (const appliance of await loadCatalog()) {
    // Linux resumes its catalog snapshot; one cold boot of it takes seconds, so it gets one run.
    const linux = appliance.kind === 'linux';
    if (linux && quick) continue;
    const cold: number[] = [];
    const resumed: number[] = [];
    collectGarbage();
    const [firstMs, first] = await bootToAnswer(appliance, { cold: true });
    const saved: SavedMachine = await first.saveState();
    await first.stop();
    if (linux) {
      cold.push(firstMs);
      resumed.push(await sample(appliance, { resume: saved }));
    } else {
      // One untimed round warms the code paths of both; then the order alternates, so neither always goes first.
      await sample(appliance, { cold: true });
      await sample(appliance, { resume: saved });
      for (let i = 0; i < runs; i++) {
        if (i % 2 === 0) cold.push(await sample(appliance, { cold: true }));
        resumed.push(await sample(appliance, { resume: saved }));
        if (i % 2 === 1) cold.push(await sample(appliance, { cold: true }));
      }
    }
    rows.push(
      row(`${appliance.id}: saved machine → answering (Node)`, 'ms', resumed, {
        name: 'cold boot → answering',
        samples: cold,
      }),
    );
    const bytes = encodeMachine({ ...saved, console: new Uint8Array() });
    const gzip = gzipSync(bytes).length;
    rows.push({
      metric: `${appliance.id}: saved machine, gzip`,
      unit: 'KiB',
      median: gzip / 1024,
      p99: gzip / 1024,
      runs: 1,
    });
    // A machine too large for a link (js's, Linux's) has no row: the share panel offers its file instead.
    const link = linux
      ? undefined
      : await createShareLink(LINK_BASE, appliance.id, 'state', bytes).catch(() => undefined);
    if (link) {
      const chars = link.length;
      rows.push({
        metric: `${appliance.id}: share link with the machine`,
        unit: 'chars',
        median: chars,
        p99: chars,
        runs: 1,
      });
    }
  }
  return { name: 'resume', date: new Date().toISOString(), quick, rows };
}
