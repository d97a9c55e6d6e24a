// The WebSocket upgrade of /terminals/<env>: checks, then attaches to the learner's session or
// starts one. Refusals before the upgrade are HTTP errors; admission refusals complete the upgrade
// and close with 1013 "Try Again Later" and a reason the browser can show (it cannot read HTTP
// bodies of refused upgrades).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { writeUpgradeRefusal, type Refusal } from './gateway-refusal';
import { targetKey, type SessionFactory } from './session-factory';
import type { TerminalAuthorizer } from './terminal-authorizer';
import { loggablePath, parseTerminalUrl } from './terminal-request-url';
import { closeCodes } from './terminal-protocol';
import type { TerminalSession } from './terminal-session';

export interface UpgradeHandlerDeps {
  logger: Logger;
  wss: WebSocketServer;
  authorizer: TerminalAuthorizer;
  sessions: SessionFactory;
  isClosing: () => boolean;
  /** Every accepted WebSocket (the heartbeat watches it). */
  accepted: (ws: WebSocket) => void;
  /** When the request's connection arrived (ms); admission counts a new terminal then. */
  arrivedAt?: (req: IncomingMessage) => number | undefined;
}

export function createUpgradeHandler(deps: UpgradeHandlerDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { logger, wss, authorizer } = deps;

  function accept(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.accepted(ws);
      then(ws);
    });
  }

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const arrivedAtMs = deps.arrivedAt?.(req) ?? Date.now();
    socket.on('error', () => socket.destroy());
    const parsed = parseTerminalUrl(req.url);
    if (!parsed || parsed.preflight) {
      writeUpgradeRefusal(socket, { code: 'bad-request', message: 'terminals are at /terminals/<environmentId>' });
      return;
    }
    if (deps.isClosing()) {
      writeUpgradeRefusal(socket, { code: 'shutting-down', message: 'the gateway is shutting down; try again in a moment' });
      return;
    }
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      writeUpgradeRefusal(socket, { code: 'bad-request', message: 'not a WebSocket upgrade' });
      return;
    }
    // Before any await: the admission slot is taken as of the arrival.
    const auth = authorizer.authorize(parsed, req.headers.origin, 'upgrade', arrivedAtMs);
    if (!auth.ok) {
      authorizer.logRefusal(req, auth.refusal, auth.payload, 'upgrade');
      if (auth.refusal.code === 'platform-full') {
        const refusal = auth.refusal;
        accept(req, socket, head, (ws) => {
          ws.send(JSON.stringify({ t: 'error', code: refusal.code, message: refusal.message }));
          ws.close(closeCodes.tryAgainLater.code, refusal.message);
        });
      } else writeUpgradeRefusal(socket, auth.refusal);
      return;
    }
    const { payload, terminalName } = auth;
    const connLogger = logger.child({ learner: payload.sub, env: payload.env, terminal: terminalName, role: payload.role });
    let session: TerminalSession | Refusal | undefined = auth.existing;
    if (session && payload.role === 'learner' && (session.learnerId !== payload.sub || session.targetKey !== targetKey(payload))) {
      // The environment changed hands (a shell is never handed to someone else) or its target
      // changed (the old shell points at what is no longer the learner's): start afresh.
      session.logger.info({ newLearner: payload.sub }, 'replacing the session: another learner or target');
      session.end('replaced');
      session = undefined;
    }
    session ??= await deps.sessions.create(payload, terminalName, connLogger);
    if (!('attach' in session)) {
      authorizer.logRefusal(req, session, payload, 'upgrade');
      writeUpgradeRefusal(socket, session);
      return;
    }
    const target = session;
    accept(req, socket, head, (ws) => {
      if (target.isEnded) {
        ws.close(closeCodes.sessionEnded.code, 'the terminal has ended');
        return;
      }
      target.attach(ws, payload.role, connLogger);
    });
  }

  return (req, socket, head) => {
    handle(req, socket, head).catch((error: unknown) => {
      logger.error({ err: (error as Error).message, path: loggablePath(req.url) }, 'upgrade failed');
      writeUpgradeRefusal(socket, { code: 'spawn-failed', message: 'the gateway could not open the terminal' });
    });
  };
}
