// v86's I/O port table, one shared entry for every port no device has. v86 builds a machine's table (src/io.js) as
// 65 536 objects, one per port, of which a unikernel's devices use a few hundred: 4–5 MB of young objects in each new
// machine, which V8 copies at every scavenge until they are old (5 ms or more of the boot or resume that comes next).

/** A port's handlers in v86's table: what `in` and `out` call, on `device`. */
interface PortEntry {
  device: unknown;
}

/** The prototype of v86's IO, which builds the table (create_empty_entry) and fills it (register_read, _write). */
interface V86Io {
  ports: PortEntry[];
  create_empty_entry(this: V86Io): PortEntry;
  register_read(this: V86Io, port: number, ...handlers: unknown[]): void;
  register_write(this: V86Io, port: number, ...handlers: unknown[]): void;
}

/** Set once v86's IO prototype is changed: it is shared by every machine of this realm from then on. */
let shared = false;

/**
 * Makes the next machine v86 builds, and every one after it, share one frozen entry among the ports no device has; a
 * device that registers a port gets an entry of its own first (as v86 made it), so nothing else changes: PCI's
 * BAR moves carry a device's own entries (devices register their ports before their PCI function), and an empty
 * port reads all ones and ignores writes as before. A write into the shared entry would throw (modules are strict).
 *
 * v86 keeps its IO class to itself: its prototype is caught as the table is first assigned (`this.ports = []` in IO's
 * constructor), by a setter on Object.prototype that lives from here until that moment and stores any other
 * object's `ports` as its own property, unchanged.
 */
export function sharePortEntries(): void {
  if (shared || Object.prototype.hasOwnProperty.call(Object.prototype, 'ports')) return;
  Object.defineProperty(Object.prototype, 'ports', {
    configurable: true,
    set(this: object, value: unknown) {
      Object.defineProperty(this, 'ports', { value, writable: true, enumerable: true, configurable: true });
      const io = Object.getPrototypeOf(this) as Partial<V86Io> | null;
      if (!io || typeof io.create_empty_entry !== 'function' || typeof io.register_read !== 'function') return;
      delete (Object.prototype as { ports?: unknown }).ports;
      shareEmpty(io as V86Io, this as V86Io);
    },
  });
}

/** Changes v86's IO prototype `io` (caught while it builds `first`'s table) as sharePortEntries() says. */
function shareEmpty(io: V86Io, first: V86Io): void {
  const { create_empty_entry: ownEntry, register_read: read, register_write: write } = io;
  const empty = Object.freeze(ownEntry.call(first));
  const own = (table: V86Io, port: number): void => {
    if (table.ports[port] === empty) table.ports[port] = ownEntry.call(table);
  };
  io.create_empty_entry = () => empty;
  io.register_read = function (port, ...handlers) {
    own(this, port);
    read.call(this, port, ...handlers);
  };
  io.register_write = function (port, ...handlers) {
    own(this, port);
    write.call(this, port, ...handlers);
  };
  shared = true;
}
