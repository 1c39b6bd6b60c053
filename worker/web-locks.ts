// Web Locks as the LAN uses them: a machine worker holds one for its life, the switch waits for it to learn that the
// worker is gone (a stop, a closed tab, a killed worker: the browser releases a dead agent's locks).

/** Holds the Web Lock `name` until the returned release is called; resolves once it is held. */
export function holdWebLock(name: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    let release = (): void => {};
    const done = new Promise<void>((resolveDone) => (release = resolveDone));
    navigator.locks
      .request(name, () => {
        resolve(release);
        return done;
      })
      .catch(reject);
  });
}

/** Resolves once nobody holds the Web Lock `name`: whoever held it released it or is gone. */
export async function webLockReleased(name: string): Promise<void> {
  await navigator.locks.request(name, () => undefined);
}
