// WebSocket-level pings that find dead connections: a connection that did not answer the previous
// ping by the next one is terminated (its session then waits for a re-attach).
import type { WebSocket, WebSocketServer } from 'ws';
import type { Disposer } from './disposable-store';

export class WebSocketHeartbeat {
  private readonly alive = new WeakMap<WebSocket, boolean>();

  constructor(private readonly wss: WebSocketServer) {}

  /** Call for every accepted connection. */
  watch(ws: WebSocket): void {
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
  }

  start(intervalMs: number): Disposer {
    const timer = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (this.alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        this.alive.set(ws, false);
        ws.ping();
      }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
