// Server-sent events for the instructor's grid: the whole grid once, then again whenever one of
// the cohort's learners does something. Bursts (30 learners pressing Check at once) are coalesced
// into one recomputation per `coalesceMs`, so the database sees at most a few reads a second per
// open instructor page, whatever the cohort does.

import type { CohortGrid } from './cohort-grid';
import type { ProgressBus, ProgressEvent } from './progress-events';

export interface GridStreamOptions {
  cohortId: string;
  bus: ProgressBus;
  load(): Promise<CohortGrid>;
  /** Closing the request (instructor left the page) stops the stream and its subscription. */
  signal: AbortSignal;
  coalesceMs?: number;
  /** A full refresh even without events: stuck timers move, and an event may have been missed. */
  refreshMs?: number;
  /** A comment line now and then keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
}

const encoder = new TextEncoder();

export function sseFrame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function cohortGridStream(options: GridStreamOptions): ReadableStream<Uint8Array> {
  const coalesceMs = options.coalesceMs ?? 200;
  let members = new Set<string>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let closed = false;
  const timers: ReturnType<typeof setInterval>[] = [];
  let unsubscribe = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        if (pending) clearTimeout(pending);
        for (const t of timers) clearInterval(t);
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      const send = async () => {
        if (closed) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          const grid = await options.load();
          members = new Set(grid.learners.map((l) => l.learnerId));
          if (!closed) controller.enqueue(sseFrame('grid', grid));
        } catch (error) {
          if (!closed) controller.enqueue(sseFrame('problem', { message: (error as Error).message }));
        } finally {
          running = false;
          if (again) {
            again = false;
            schedule();
          }
        }
      };
      const schedule = () => {
        if (pending || closed) return;
        pending = setTimeout(() => {
          pending = undefined;
          void send();
        }, coalesceMs);
      };
      const relevant = (e: ProgressEvent) =>
        e.cohortId === options.cohortId || (e.learnerId !== undefined && members.has(e.learnerId));
      unsubscribe = options.bus.subscribe((e) => {
        if (relevant(e)) schedule();
      });
      timers.push(setInterval(() => void send(), options.refreshMs ?? 30_000));
      timers.push(
        setInterval(() => {
          if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
        }, options.heartbeatMs ?? 15_000),
      );
      options.signal.addEventListener('abort', close, { once: true });
      if (options.signal.aborted) close();
      else void send();
    },
    cancel() {
      closed = true;
      unsubscribe();
      if (pending) clearTimeout(pending);
      for (const t of timers) clearInterval(t);
    },
  });
}
