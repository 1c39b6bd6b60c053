import type { ApplianceSpec, MachineShape } from './protocol.ts';

/**
 * The machine an appliance runs on, if a machine built ahead can run it: a multiboot kernel or a saved state needs
 * only RAM and a network card; an appliance that boots through a BIOS (Linux) is built with its images, so it has none.
 */
export function machineShape(appliance: ApplianceSpec): MachineShape | undefined {
  if (appliance.kind === 'linux' || appliance.bios !== undefined) return undefined;
  return { memory: appliance.memory, nic: appliance.nic === 'virtio' ? 'virtio' : 'ne2k' };
}
