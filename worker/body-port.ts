// A response body between threads on a MessagePort, with several chunks in flight: the sender may send as many
// chunks as the receiver granted credit for, the receiver grants more as its reader takes them. A transferred
// ReadableStream moves one chunk per round trip between the threads; this keeps the pipe full.
import type { BodyControl, BodyMessage } from './gateway-protocol.ts';

/** Chunks the receiver lets the sender have in flight (each at most what the sender gathers: 1 MiB in the gateway). */
export const BODY_CREDIT = 4;

/**
 * Sends `chunks` on `port` as transferred buffers, as fast as the receiver's credit allows; ends with `end`, or
 * `error` if reading failed. A `cancel` from the receiver stops it and calls `cancel`. Closes the port when done.
 */
export async function sendBody(
  port: MessagePort,
  chunks: AsyncIterator<Uint8Array>,
  cancel: () => void = () => {},
): Promise<void> {
  let credit = 0;
  let cancelled = false;
  let wake: (() => void) | undefined;
  port.onmessage = (event: MessageEvent<BodyControl>) => {
    if (event.data?.type === 'credit') credit += event.data.chunks;
    else if (event.data?.type === 'cancel') cancelled = true;
    wake?.();
  };
  const send = (message: BodyMessage, transfer: Transferable[] = []): void => port.postMessage(message, transfer);
  try {
    for (;;) {
      while (credit === 0 && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
      if (cancelled) {
        cancel();
        return;
      }
      const { value, done } = await chunks.next();
      if (done) break;
      const bytes = ownBuffer(value);
      send({ type: 'chunk', bytes }, [bytes]);
      credit--;
    }
    send({ type: 'end' });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    port.close();
  }
}

/** The body arriving on `port` (from sendBody) as a stream; cancelling the stream cancels the sender. */
export function receiveBody(port: MessagePort): ReadableStream<Uint8Array> {
  let granted = 0;
  let over = false;
  const grant = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    const wanted = (controller.desiredSize ?? 0) - granted;
    if (wanted <= 0) return;
    granted += wanted;
    port.postMessage({ type: 'credit', chunks: wanted } satisfies BodyControl);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.onmessage = (event: MessageEvent<BodyMessage>) => {
          const message = event.data;
          if (over) return; // cancelled: chunks already on their way are dropped
          if (message.type === 'chunk') {
            granted--;
            controller.enqueue(new Uint8Array(message.bytes));
            return;
          }
          over = true;
          port.close();
          if (message.type === 'end') controller.close();
          else controller.error(new TypeError(`the body broke off: ${message.message}`));
        };
      },
      pull: grant,
      cancel: () => {
        over = true;
        refuseBody(port);
      },
    },
    new CountQueuingStrategy({ highWaterMark: BODY_CREDIT }),
  );
}

/** A gateway reply's body as a Response takes it: the bytes, or the stream arriving on the port. */
export function bodyInit(body: ArrayBuffer | MessagePort | null): ArrayBuffer | ReadableStream<Uint8Array> | null {
  return body instanceof MessagePort ? receiveBody(body) : body;
}

/** Tells the sender on `port` that its body is not wanted (e.g. the answer to a HEAD). */
export function refuseBody(port: MessagePort): void {
  port.postMessage({ type: 'cancel' } satisfies BodyControl);
  port.close();
}

/** The chunk's bytes as a buffer of their own, which can be transferred without taking anyone else's. */
function ownBuffer(chunk: Uint8Array): ArrayBuffer {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  return (whole ? chunk.buffer : new Uint8Array(chunk).buffer) as ArrayBuffer;
}
