import type { ApplianceSpec, MachineShape } from './protocol.ts';
import { readStateInfo } from './v86-state.ts';

/**
 * The machine an appliance runs on, if a machine built ahead can run it: a multiboot kernel or a saved state needs
 * only RAM and a network card; an appliance that boots through a BIOS (Linux) is built with its images, so it has none.
 * A `state` to resume needs the RAM it was saved with (savedMemorySize), whatever the appliance asks for today.
 */
export function machineShape(appliance: ApplianceSpec, state?: ArrayBuffer): MachineShape | undefined {
  if (appliance.kind === 'linux' || appliance.bios !== undefined) return undefined;
  const memory = (state && savedMemorySize(state)) ?? appliance.memory;
  return { memory, nic: applianceNic(appliance) };
}

/** Whether two machines are of one shape (a machine of either runs the other's appliances). */
export function sameShape(a: MachineShape | undefined, b: MachineShape | undefined): boolean {
  return a?.memory === b?.memory && a?.nic === b?.nic;
}

/** The appliance's network card: virtio-net where its catalog entry says so, else the NE2000. */
export function applianceNic(appliance: Pick<ApplianceSpec, 'nic'>): 'virtio' | 'ne2k' {
  return appliance.nic === 'virtio' ? 'virtio' : 'ne2k';
}

/**
 * The guest RAM a state saved by saveState() was running with (the first field of v86's saved CPU), or undefined if
 * the bytes are not a plain v86 state. Here, not in emulator.ts, so that the page reads it without loading v86.
 */
export function savedMemorySize(state: ArrayBuffer): number | undefined {
  try {
    const cpu = readStateInfo(state)?.info.state;
    const memory = Array.isArray(cpu) ? (cpu[0] as unknown) : undefined;
    return typeof memory === 'number' ? memory : undefined;
  } catch {
    return undefined;
  }
}
