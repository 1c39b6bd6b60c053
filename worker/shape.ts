import type { ApplianceSpec, MachineShape } from './protocol.ts';

/**
 * The machine an appliance runs on, if a machine built ahead can run it: a multiboot kernel or a saved state needs
 * only RAM and a network card; an appliance that boots through a BIOS (Linux) is built with its images, so it has none.
 */
export function machineShape(appliance: ApplianceSpec): MachineShape | undefined {
  if (appliance.kind === 'linux' || appliance.bios !== undefined) return undefined;
  return { memory: appliance.memory, nic: applianceNic(appliance) };
}

/** Whether two machines are of one shape (a machine of either runs the other's appliances). */
export function sameShape(a: MachineShape | undefined, b: MachineShape | undefined): boolean {
  return a?.memory === b?.memory && a?.nic === b?.nic;
}

/** The appliance's network card: virtio-net where its catalog entry says so, else the NE2000. */
export function applianceNic(appliance: Pick<ApplianceSpec, 'nic'>): 'virtio' | 'ne2k' {
  return appliance.nic === 'virtio' ? 'virtio' : 'ne2k';
}
