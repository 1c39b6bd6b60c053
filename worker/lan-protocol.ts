// The messages between the LAN's switch (worker/lan-hub.ts, in the page's SharedWorker) and the ports connected to
// it: a machine worker's port (its guest's frames) and a page's port (the LAN's members, counters and frames).
import type { FrameBatch } from './protocol.ts';

/** A member of the LAN as the pages see it. */
export interface LanMemberInfo {
  /** Its unique name on the LAN (DNS answers `<name>` and `<name>.tabcloud`). */
  name: string;
  /** Its address, dotted. */
  addr: string;
}

/** The LAN's counters: frames the switch forwarded or flooded, and frames dropped (over a member's rate, full queues). */
export interface LanCounters {
  forwarded: number;
  flooded: number;
  /** Dropped by the switch's rate limit. */
  dropped: number;
  /** Dropped because a member's port queue was full (it did not keep up). */
  queueDropped: number;
}

/** What a machine worker sends on its LAN port. */
export type MemberMessage =
  /**
   * Joins the LAN as `name` (else `name-2`...), with `requested` (a resumed guest's address) if it is free. `lock` is
   * the Web Lock the worker holds for as long as it is on the LAN: when the switch gets it, the member is gone.
   */
  | { type: 'join'; name: string; requested?: number; lock: string }
  /** Frames the guest sent onto the LAN; `dropped`: frames it dropped since its last batch (its queue was full). */
  | { type: 'frames'; frames: Uint8Array[]; dropped: number }
  /** It took `count` frames of the switch's batches: room for more (worker/lan-pipe.ts). */
  | { type: 'took'; count: number }
  /** Leaves the LAN (a stop; a worker that dies leaves by its lock). */
  | { type: 'leave' };

/** What the switch sends to a machine worker's port. */
export type SwitchMessage =
  | { type: 'joined'; id: number; name: string; addr: number }
  /** The LAN would not take it (e.g. `lan-full`): the machine stays on a private link. */
  | { type: 'refused'; code: string; message: string }
  /** Frames from other members for this guest, oldest first. */
  | { type: 'frames'; frames: Uint8Array[] }
  /** The switch took `count` of the member's frames. */
  | { type: 'took'; count: number }
  /** The whole names table, after every change. */
  | { type: 'names'; table: [string, number][] };

/** What a page sends on its LAN port. */
export type ViewerMessage =
  /** The page's Web Lock, held for its life: when the switch gets it, the page is gone and gets nothing more. */
  | { type: 'viewer'; lock: string }
  /** Hands over a port for a machine worker that is about to join (it speaks MemberMessage). */
  | { type: 'member-port'; port: MessagePort }
  /** The page is going away (pagehide): the machines it handed ports for leave now, before its workers end. */
  | { type: 'bye' }
  /** Starts (true) or stops sending every frame on the LAN as FrameBatch messages. */
  | { type: 'tap'; on: boolean };

/** What the switch sends to a page. */
export type HubMessage =
  { type: 'members'; members: LanMemberInfo[]; counters: LanCounters } | { type: 'frames'; batch: FrameBatch };
