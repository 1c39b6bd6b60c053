// `tabcloud.json`, the file `tabcloud up` runs: parsed and checked before anything starts.
import { dirname, resolve } from 'node:path';
import { CodedError } from '../worker/net/errors.ts';
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
}

/** A mistake in the file: the message names the field (`appliances.api.publish[0]: ...`). */
export class UpFileError extends CodedError<'bad-up-file'> {
  constructor(message: string) {
    super('bad-up-file', message);
  }
}

const FIELDS = ['image', 'userData', 'publish', 'engine', 'cmdline'];
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
    const at = `appliances.${name}`;
    if (!isApplianceId(name)) fail(`appliances["${name}"]`, `a name is ${ID_RULE} (it is a DNS name on the LAN)`);
    const spec = object(appliances[name]) ?? fail(at, 'must be an object with at least "image"');
    for (const key of Object.keys(spec)) {
      if (!FIELDS.includes(key)) fail(`${at}.${key}`, `unknown field (known: ${FIELDS.join(', ')})`);
    }
    const { image, userData, publish = [], engine = 'v86', cmdline } = spec;
    if (typeof image !== 'string' || image === '')
      fail(`${at}.image`, 'a catalog id (e.g. "kv") or the path of an .elf');
    if (userData !== undefined && (typeof userData !== 'string' || userData === '')) {
      fail(`${at}.userData`, 'the path of a file');
    }
    if (!ENGINES.includes(engine as EngineName))
      fail(`${at}.engine`, `${JSON.stringify(engine)} is not "v86" or "qemu"`);
    if (cmdline !== undefined && typeof cmdline !== 'string') fail(`${at}.cmdline`, 'a string');
    if (!Array.isArray(publish)) fail(`${at}.publish`, 'an array of "host:guest" ports, e.g. ["8080:80"]');
    const mappings = (publish as unknown[]).map((entry, i) => {
      const mapping = typeof entry === 'string' ? parsePortMapping(entry) : undefined;
      if (!mapping)
        fail(`${at}.publish[${i}]`, `${JSON.stringify(entry)} is not host:guest (ports 1-65535, e.g. "8080:80")`);
      const taken = hostPorts.get(mapping!.host);
      if (taken) fail(`${at}.publish[${i}]`, `host port ${mapping!.host} is already published by ${taken}`);
      hostPorts.set(mapping!.host, `${at}.publish[${i}]`);
      return mapping!;
    });
    return {
      name,
      image: isImagePath(image as string) ? resolve(folder, image as string) : (image as string),
      userData: userData === undefined ? undefined : resolve(folder, userData as string),
      publish: mappings,
      engine: engine as EngineName,
      cmdline: cmdline as string | undefined,
    };
  });
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
