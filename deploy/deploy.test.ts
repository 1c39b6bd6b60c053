// deploy/: the container's entry script runs an appliance under QEMU (here, outside a container), and the
// Kubernetes and Compose files parse and agree with the Containerfile and the script.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/publish.ts';

const DEPLOY = fileURLToPath(new URL('.', import.meta.url));
const ENTRY = `${DEPLOY}entry.sh`;
const KV = fileURLToPath(new URL('../public/images/kv.elf', import.meta.url));

type Env = { name: string; value: string }[];
type Labels = Record<string, string>;
interface Container {
  env: Env;
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { port: string } };
}
interface Deployment {
  kind: string;
  spec: {
    selector: { matchLabels: Labels };
    template: { metadata: { labels: Labels }; spec: { containers: Container[] } };
  };
}
interface Service {
  kind: string;
  spec: { selector: Labels; ports: { targetPort: string }[] };
}
interface Compose {
  services: Record<string, { build: { dockerfile: string; args: Labels }; ports: string[]; environment: Labels }>;
}

/** The YAML documents of a file, through Debian's python3-yaml (setup.js installs it for the tests). */
function yaml<T>(file: string): T {
  const program = 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))';
  return JSON.parse(execFileSync('python3', ['-c', program, `${DEPLOY}${file}`], { encoding: 'utf8' })) as T;
}

/** Runs the entry script with env to its end. */
function entry(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [ENTRY], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

test('the entry script runs an appliance under QEMU with its port published; SIGTERM stops it', async () => {
  const port = await freePort();
  const child = spawn('sh', [ENTRY], {
    env: { ...process.env, TABCLOUD_IMAGE: KV, TABCLOUD_MEMORY: '20', TABCLOUD_PUBLISH: `${port}:80` },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    while (!/^READY kv/m.test(out)) {
      assert.equal(child.exitCode, null, `exited before READY:\n${out}\n${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(err, /^tabcloud: qemu-system-i386 with (KVM|TCG, emulated)$/m);
    const put = await fetch(`http://127.0.0.1:${port}/keys/deployed`, { method: 'PUT', body: 'yes' });
    assert.equal(put.status, 201);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/keys/deployed`)).text(), 'yes');
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
  assert.match(err, /terminating on signal 15/);
});

test('the entry script refuses a missing image and a bad port mapping: exit 2', async () => {
  let r = await entry({ TABCLOUD_IMAGE: '/nonexistent/appliance.elf' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no appliance image at \/nonexistent\/appliance\.elf/);
  for (const publish of ['http', '80:', ':80', '1:2:3']) {
    r = await entry({ TABCLOUD_IMAGE: KV, TABCLOUD_PUBLISH: publish });
    assert.equal(r.code, 2, publish);
    assert.match(r.stderr, new RegExp(`TABCLOUD_PUBLISH takes HOST:GUEST ports, not '${publish}'`));
  }
});

test('the Kubernetes manifest: a Deployment of the container whose port the Service and the probe use', () => {
  const [deployment, service] = yaml<[Deployment, Service]>('kubernetes.yaml');
  assert.equal(deployment.kind, 'Deployment');
  assert.equal(service.kind, 'Service');
  const pod = deployment.spec.template;
  assert.deepEqual(deployment.spec.selector.matchLabels, pod.metadata.labels);
  assert.deepEqual(service.spec.selector, pod.metadata.labels);
  const container = pod.spec.containers[0]!;
  const port = container.ports[0]!;
  assert.equal(service.spec.ports[0]!.targetPort, port.name);
  assert.equal(container.readinessProbe.httpGet.port, port.name);
  const publish = container.env.find((e) => e.name === 'TABCLOUD_PUBLISH')!.value;
  assert.ok(publish.split(' ').includes(`${port.containerPort}:80`), 'the container port reaches the guest');
  assertKnownSettings(container.env.map((e) => e.name));
});

test('the compose file builds the Containerfile with its IMAGE argument and publishes the guest port', () => {
  const [compose] = yaml<[Compose]>('compose.yaml');
  const demo = compose.services.demo!;
  assert.equal(demo.build.dockerfile, 'deploy/Containerfile');
  const containerfile = readFileSync(`${DEPLOY}Containerfile`, 'utf8');
  for (const arg of Object.keys(demo.build.args)) assert.match(containerfile, new RegExp(`^ARG ${arg}$`, 'm'));
  assert.match(containerfile, /^ENTRYPOINT \["\/usr\/local\/bin\/tabcloud-entry"\]$/m);
  assert.deepEqual(demo.ports, ['8080:80']);
  assertKnownSettings(Object.keys(demo.environment));
});

/** Every TABCLOUD_ setting given is one the entry script reads. */
function assertKnownSettings(names: string[]): void {
  const script = readFileSync(ENTRY, 'utf8');
  for (const name of names) assert.match(script, new RegExp(`\\$\\{${name}[:}]`), name);
}
