// Builds public/images/js.state.gz: the js appliance booted with its engine and prelude started and no
// script yet, saved where it prints `@snapshot` (cmdline js.snapshot). A host resumes it for every script and
// hands the script over (README.md, "Snapshot"): starting Duktape and compiling the prelude cost a cold
// boot seconds in v86, which runs such once-only code in its interpreter. Run by `make -C images`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createNodeMachine, loadCatalog } from '../../cli/node-host.ts';
import { applianceNic } from '../../worker/shape.ts';
import { bootToSnapshot } from '../boot-to-snapshot.ts';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));
const SNAPSHOT_FLAG = 'js.snapshot';
const COLD_BOOT_TIMEOUT_MS = 120_000;
/** What the proof resume runs: a script that must load and answer. */
const PROOF = 'exports.default = { fetch: function () { return new Response("ok"); } };\n';

const catalog = await loadCatalog();
const js = catalog.find((a) => a.id === 'js');
if (!js?.snapshot) throw new Error('images/appliances.json: the js entry needs a snapshot path');

const started = performance.now();
const kernel = readFileSync(join(PUBLIC, js.image));
const state = await bootToSnapshot(
  {
    kernel: kernel.buffer.slice(kernel.byteOffset, kernel.byteOffset + kernel.byteLength),
    cmdline: SNAPSHOT_FLAG,
    memory: js.memory,
    nic: applianceNic(js),
  },
  COLD_BOOT_TIMEOUT_MS,
).catch((error: unknown) => {
  throw new Error(`js: ${(error as Error).message}`, { cause: error });
});
const booted = performance.now() - started;
const packed = gzipSync(state, { level: 9 });
writeFileSync(join(PUBLIC, js.snapshot), packed);
const machine = createNodeMachine();
let output = '';
try {
  const status = await machine.boot({ appliance: js, userData: new TextEncoder().encode(PROOF) }, (event) => {
    if (event.type === 'serial') output += new TextDecoder().decode(event.data);
  });
  const answer = await machine.request({ port: 80, method: 'GET', target: '/', headers: [], body: null });
  const text = new TextDecoder().decode(answer.body);
  if (answer.status !== 200 || text !== 'ok') {
    rmSync(join(PUBLIC, js.snapshot)); // so that the next make tries again
    throw new Error(`js: the snapshot resumed but answered ${answer.status} ${text}; its console said:\n${output}`);
  }
  console.log(
    `js: cold boot to @snapshot ${booted.toFixed(0)} ms, snapshot ${(packed.length / 1024).toFixed(0)} KiB gzip, ` +
      `resumed with a script to READY in ${status.timeline.host['ready']!.toFixed(0)} ms`,
  );
} finally {
  await machine.stop();
}
