// Resume: a saved running machine → answering, against a cold boot → answering, per appliance (Node);
// and what a saved machine costs: gzip bytes in storage, characters in a share link.
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { gzipSync } from 'node:zlib';
import type { Machine } from '../worker/machine.ts';
import { HttpClient } from '../worker/net/http-client.ts';
import type { ApplianceSpec, BootRequest, SavedMachine } from '../worker/protocol.ts';
import { encodeMachine } from '../web/saved-machine.ts';
import { createShareLink } from '../web/share-link.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

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

export async function resumeBench({ quick }: BenchOptions): Promise<BenchResult> {
  const runs = quick ? 2 : 10;
  const rows: Row[] = [];
  for (const appliance of await loadCatalog()) {
    // Linux resumes its catalog snapshot; one cold boot of it takes seconds, so it gets one run.
    const linux = appliance.kind === 'linux';
    if (linux && quick) continue;
    const cold: number[] = [];
    const resumed: number[] = [];
    let saved: SavedMachine | undefined;
    for (let i = 0; i < (linux ? 1 : runs); i++) {
      const [coldMs, machine] = await bootToAnswer(appliance, { cold: true });
      cold.push(coldMs);
      saved ??= await machine.saveState();
      await machine.stop();
      const [resumeMs, again] = await bootToAnswer(appliance, { resume: saved });
      resumed.push(resumeMs);
      await again.stop();
    }
    rows.push(
      row(`${appliance.id}: saved machine → answering (Node)`, 'ms', resumed, {
        name: 'cold boot → answering',
        samples: cold,
      }),
    );
    const bytes = encodeMachine({ ...saved!, console: new Uint8Array() });
    const gzip = gzipSync(bytes).length;
    rows.push({
      metric: `${appliance.id}: saved machine, gzip`,
      unit: 'KiB',
      median: gzip / 1024,
      p99: gzip / 1024,
      runs: 1,
    });
    if (!linux) {
      const link = await createShareLink(LINK_BASE, appliance.id, 'state', bytes).catch(() => undefined);
      const chars = link?.length ?? NaN;
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
