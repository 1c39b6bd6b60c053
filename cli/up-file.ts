// `tabcloud.json`, the file `tabcloud up` runs: parsed and checked before anything starts.
import { dirname, resolve } from 'node:path';
import { CodedError } from '../worker/net/errors.ts';
import { parseAllowList } from '../worker/net/outbound.ts';
import { ID_RULE, isApplianceId } from '../worker/manifest.ts';
import type { EngineName } from './engines.ts';
import { isImagePath } from './local.ts';
import { parsePortMapping, type PortMapping } from './publish.ts';

/** One appliance of the file, its paths made absolute. */
export interface UpAppliance {
  /** Its name on the LAN (`<name>`, `<name>.tabcloud`) and in front of its console lines. */
  name: string;
  /** A catalog id, or the absolute path of an .elf (isImagePath() tells which). */
  image: string;
  userData: string | undefined;
  publish: PortMapping[];
  engine: EngineName;
  cmdline: string | undefined;
  /** Hosts it may call on the web through the host's proxy (worker/net/outbound.ts). */
  allowNet: string[];
}

/** A mistake in the file: the message names the field (`appliances.api.publish[0]: ...`). */
export class UpFileError extends CodedError<'bad-up-file'> {
  constructor(message: string) {
    super('bad-up-file', message);
  }
}

const FIELDS = ['image', 'userData', 'publish', 'engine', 'cmdline', 'allowNet'];
const ENGINES: EngineName[] = ['v86', 'qemu'];
/** Appliances in one file: each is a machine of tens of MiB in this process or a QEMU. */
export const UP_MAX_APPLIANCES = 16;

/** Parses `text`, read from `file`: the appliances in the file's order; throws an UpFileError naming the field. */
export function parseUpFile(text: string, file: string): UpAppliance[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UpFileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const fail = (field: string, what: string): never => {
    throw new UpFileError(`${file}: ${field}: ${what}`);
  };
  const top =
    object(value) ?? fail('the file', 'must be a JSON object: { "appliances": { "<name>": { "image": ... } } }');
  for (const key of Object.keys(top))
    if (key !== 'appliances') fail(key, 'unknown field (the file has only "appliances")');
  const appliances =
    object(top.appliances) ??
    fail('appliances', 'must be an object of appliances by name, e.g. { "db": { "image": "kv" } }');
  const names = Object.keys(appliances);
  if (names.length === 0) fail('appliances', 'is empty: name at least one appliance');
  if (names.length > UP_MAX_APPLIANCES) fail('appliances', `has ${names.length}: at most ${UP_MAX_APPLIANCES}`);
  const folder = dirname(resolve(file));
  const hostPorts = new Map<number, string>();
  return names.map((name) => {
    if (!isApplianceId(name)) fail(`appliances["${name}"]`, `a name is ${ID_RULE} (it is a DNS name on the LAN)`);
    const at = `appliances.${name}`;
    const field = (key: string, what: string): never => fail(`${at}.${key}`, what);
    const spec = object(appliances[name]) ?? fail(at, 'must be an object with at least "image"');
    for (const key of Object.keys(spec)) {
      if (!FIELDS.includes(key)) field(key, `unknown field (known: ${FIELDS.join(', ')})`);
    }
    const { image, userData, publish = [], engine = 'v86', cmdline, allowNet = [] } = spec;
    if (typeof image !== 'string' || image === '') field('image', 'a catalog id (e.g. "kv") or the path of an .elf');
    if (userData !== undefined && (typeof userData !== 'string' || userData === ''))
      field('userData', 'the path of a file');
    if (!ENGINES.includes(engine as EngineName)) field('engine', `${JSON.stringify(engine)} is not "v86" or "qemu"`);
    if (cmdline !== undefined && typeof cmdline !== 'string') field('cmdline', 'a string');
    const mappings = ports(publish, `${at}.publish`, hostPorts, fail);
    return {
      name,
      image: isImagePath(image as string) ? resolve(folder, image as string) : (image as string),
      userData: userData === undefined ? undefined : resolve(folder, userData as string),
      publish: mappings,
      engine: engine as EngineName,
      cmdline: cmdline as string | undefined,
      allowNet: hosts(allowNet, `${at}.allowNet`, fail),
    };
  });
}

type Fail = (field: string, what: string) => never;

/** `publish`: "host:guest" strings, each host port once in the file (`hostPorts`: where each was published). */
function ports(value: unknown, at: string, hostPorts: Map<number, string>, fail: Fail): PortMapping[] {
  if (!Array.isArray(value)) fail(at, 'an array of "host:guest" ports, e.g. ["8080:80"]');
  return (value as unknown[]).map((entry, i) => {
    const mapping = typeof entry === 'string' ? parsePortMapping(entry) : undefined;
    if (!mapping) fail(`${at}[${i}]`, `${JSON.stringify(entry)} is not host:guest (ports 1-65535, e.g. "8080:80")`);
    const taken = hostPorts.get(mapping!.host);
    if (taken) fail(`${at}[${i}]`, `host port ${mapping!.host} is already published by ${taken}`);
    hostPorts.set(mapping!.host, `${at}[${i}]`);
    return mapping!;
  });
}

/** `allowNet`: hosts as --allow-net takes them, one per entry. */
function hosts(value: unknown, at: string, fail: Fail): string[] {
  if (!Array.isArray(value)) fail(at, 'an array of hosts, e.g. ["api.example.com", "*.cdn.test"], or ["*"]');
  const allowed = (value as unknown[]).flatMap((entry, i) => {
    if (typeof entry !== 'string' || entry.trim() === '' || /[\s,]/.test(entry.trim())) {
      fail(`${at}[${i}]`, `${JSON.stringify(entry)} is not one host (e.g. "api.example.com", or "*")`);
    }
    try {
      return parseAllowList(entry as string);
    } catch (error) {
      return fail(`${at}[${i}]`, (error as Error).message);
    }
  });
  return [...new Set(allowed)];
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
