// Which catalog appliance the page's address will most likely boot, known before anything is looked up: the page
// builds its machine from the first moment, while it reads storage and draws.
import type { ApplianceSpec } from '../worker/protocol.ts';

/**
 * The catalog appliance that `#/a/<name>` names: `<name>` itself, or for a second copy (`kv-2`, as a share link or an
 * import names it) the appliance it was made from; undefined for any other address or name. A guess: the name may be
 * an appliance of one's own, whose shape the boot then finds is another (worker/emulator-pool.ts builds one then).
 */
export function routeAppliance(hash: string, catalog: readonly ApplianceSpec[]): ApplianceSpec | undefined {
  const match = /^#\/a\/([^/?]+)/.exec(hash);
  if (!match) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const base = name.replace(/-\d+$/, '');
  return catalog.find((a) => a.id === name) ?? catalog.find((a) => a.id === base);
}
