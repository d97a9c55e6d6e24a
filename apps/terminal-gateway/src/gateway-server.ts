// The HTTP + WebSocket server: health, metrics, preflight, and terminal upgrades.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { spawn as spawnPty, type IPty } from 'node-pty';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { authorizeTerminalRequest, type Authorization } from './authorize-terminal-request';
import type { GatewayConfig } from './gateway-config';
import { GatewayMetrics } from './gateway-metrics';
import { refusalStatus, writeUpgradeRefusal, type Refusal } from './gateway-refusal';
import { environmentIdPattern, loggablePath, parseTerminalUrl, type ParsedTerminalUrl } from './terminal-request-url';
import { inspectHostLayout, probeSandbox, writeSandboxIdentityFiles, type HostLayout, type SandboxMode } from './local-sandbox';
import { SessionRegistry } from './session-registry';
import { assertTargetServable, findExecutable, resolveSpawnSpec, SpawnRefusedError, type SpawnContext } from './spawn-spec';
import { maxClientFrameBytes } from './terminal-frames';
import { closeCodes } from './terminal-protocol';
import { TerminalSession, type SessionInfo } from './terminal-session';
import type { TerminalRole, TerminalTokenPayload } from './terminal-token';

export interface GatewayOptions {
  /** Command of local shells (default `bash --login`); tests use `bash --norc --noprofile`. */
  localShell?: string[];
  /** The bubblewrap binary (default `bwrap` on PATH). */
  bwrapPath?: string;
  /** Interval of WebSocket-level pings that find dead connections. */
  heartbeatMs?: number;
}

export interface Gateway {
  listen(): Promise<{ port: number }>;
  /** Ends every session (kills its pty), closes every connection and the server. */
  close(): Promise<void>;
  /** Live sessions with their connections' flow-control state (health, tests). */
  sessions(): SessionInfo[];
  sandboxMode(): SandboxMode | undefined;
  readonly metrics: GatewayMetrics;
}

/** Zod rebuilds parsed objects in schema key order, so equal targets give equal keys. */
function targetKey(payload: TerminalTokenPayload): string {
  return JSON.stringify(payload.target);
}

export function createGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions = {}): Gateway {
  const registry = new SessionRegistry();
  const metrics = GatewayMetrics.create({
    sessions: () => registry.size,
    connections: (role: TerminalRole) => registry.all().reduce((n, s) => n + s.connectionCount(role), 0),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxClientFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  let sandbox: SandboxMode | undefined;
  let layout: HostLayout | undefined;
  let identityDir = '';
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      logger.error({ err: (error as Error).message, path: loggablePath(req.url) }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      handleUpgrade(req, socket, head);
    } catch (error) {
      logger.error({ err: (error as Error).message, path: loggablePath(req.url) }, 'upgrade failed');
      writeUpgradeRefusal(socket, { code: 'spawn-failed', message: 'the gateway could not open the terminal' });
    }
  });

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(text);
  }

  function corsHeaders(origin: string | undefined): Record<string, string> {
    return origin && config.GATEWAY_ALLOWED_ORIGINS.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
  }

  function logRefusal(req: IncomingMessage, refusal: Refusal, payload: TerminalTokenPayload | undefined, kind: 'upgrade' | 'preflight'): void {
    metrics.refusals.inc({ code: refusal.code });
    logger.warn(
      { kind, code: refusal.code, reason: refusal.message, path: loggablePath(req.url), origin: req.headers.origin, learner: payload?.sub, env: payload?.env, role: payload?.role },
      'terminal connection refused',
    );
  }

  function authorize(parsed: ParsedTerminalUrl, origin: string | undefined, requireOrigin: boolean): Authorization {
    if (!environmentIdPattern.test(parsed.environmentId))
      return { ok: false, refusal: { code: 'bad-request', message: 'the environment id in the path is not valid' } };
    const auth = authorizeTerminalRequest(
      { environmentId: parsed.environmentId, token: parsed.token, terminalName: parsed.terminalName, origin, requireOrigin },
      { secret: config.WORKSHOP_TOKEN_SECRET, allowedOrigins: config.GATEWAY_ALLOWED_ORIGINS, maxSessionsPerLearner: config.GATEWAY_MAX_SESSIONS_PER_LEARNER, sessions: registry },
    );
    if (!auth.ok || auth.existing) return auth;
    // A new session: refuse now, not after the upgrade, if its target cannot run here.
    try {
      assertTargetServable(auth.payload.target, sandbox ?? { kind: 'unavailable', reason: 'the gateway is not listening yet' });
    } catch (error) {
      if (error instanceof SpawnRefusedError) return { ok: false, payload: auth.payload, refusal: { code: error.code, message: error.message } };
      throw error;
    }
    return auth;
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = loggablePath(req.url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'method-not-allowed', message: `${req.method ?? ''} is not supported here` } });
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, {
        status: 'ok',
        sessions: registry.size,
        connections: registry.all().reduce((n, s) => n + s.connectionCount(), 0),
        sandbox: sandbox?.kind ?? 'unknown',
      });
      return;
    }
    if (path === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return;
    }
    const parsed = parseTerminalUrl(req.url);
    if (parsed?.preflight) {
      const origin = req.headers.origin;
      const auth = authorize(parsed, origin, false);
      if (!auth.ok) {
        logRefusal(req, auth.refusal, auth.payload, 'preflight');
        sendJson(res, refusalStatus[auth.refusal.code], { error: { code: auth.refusal.code, message: auth.refusal.message } }, corsHeaders(origin));
        return;
      }
      sendJson(res, 200, { ok: true, role: auth.payload.role, terminal: auth.terminalName, running: auth.existing !== undefined }, corsHeaders(origin));
      return;
    }
    sendJson(res, 404, { error: { code: 'not-found', message: `nothing at ${path}` } });
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const parsed = parseTerminalUrl(req.url);
    if (!parsed || parsed.preflight) {
      writeUpgradeRefusal(socket, { code: 'bad-request', message: 'terminals are at /terminals/<environmentId>' });
      return;
    }
    if (closing) {
      writeUpgradeRefusal(socket, { code: 'shutting-down', message: 'the gateway is shutting down; try again in a moment' });
      return;
    }
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      writeUpgradeRefusal(socket, { code: 'bad-request', message: 'not a WebSocket upgrade' });
      return;
    }
    const auth = authorize(parsed, req.headers.origin, true);
    if (!auth.ok) {
      logRefusal(req, auth.refusal, auth.payload, 'upgrade');
      writeUpgradeRefusal(socket, auth.refusal);
      return;
    }
    const { payload, terminalName } = auth;
    const connLogger = logger.child({ learner: payload.sub, env: payload.env, terminal: terminalName, role: payload.role });
    let session = auth.existing;
    if (session && payload.role === 'learner' && (session.learnerId !== payload.sub || session.targetKey !== targetKey(payload))) {
      // The environment changed hands (a shell is never handed to someone else) or its target
      // changed (the old shell points at what is no longer the learner's): start afresh.
      session.logger.info({ newLearner: payload.sub }, 'replacing the session: another learner or target');
      session.end('replaced');
      session = undefined;
    }
    if (!session) {
      const created = startSession(payload, terminalName, connLogger);
      if ('code' in created) {
        logRefusal(req, created, payload, 'upgrade');
        writeUpgradeRefusal(socket, created);
        return;
      }
      session = created;
    }
    const target = session;
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      if (target.isEnded) {
        ws.close(closeCodes.sessionEnded.code, 'the terminal has ended');
        return;
      }
      target.attach(ws, payload.role, connLogger);
    });
  }

  function startSession(payload: TerminalTokenPayload, terminalName: string, sessionLogger: Logger): TerminalSession | Refusal {
    const kind = payload.target.kind;
    if (!sandbox || !layout) return { code: 'sandbox-unavailable', message: 'the gateway is not listening yet' };
    const ctx: SpawnContext = {
      sandbox,
      layout,
      homesDir: config.GATEWAY_HOMES_DIR,
      identityDir,
      kubectl: config.GATEWAY_KUBECTL,
      localShell: options.localShell ?? ['bash', '--login'],
    };
    let pty: IPty;
    try {
      const spec = resolveSpawnSpec(payload.target, ctx);
      if (!findExecutable(spec.file, spec.env.PATH)) throw new Error(`executable not found: ${spec.file}`);
      pty = spawnPty(spec.file, spec.args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: spec.cwd, env: spec.env });
    } catch (error) {
      if (error instanceof SpawnRefusedError) return { code: error.code, message: error.message };
      metrics.ptySpawnFailures.inc({ kind });
      sessionLogger.error({ err: (error as Error).message, kind }, 'pty spawn failed');
      return { code: 'spawn-failed', message: 'the terminal could not be started' };
    }
    metrics.ptySpawns.inc({ kind });
    const session = new TerminalSession(pty, {
      environmentId: payload.env,
      targetKey: targetKey(payload),
      terminalName,
      learnerId: payload.sub,
      graceMs: config.GATEWAY_GRACE_SECONDS * 1000,
      idleMs: config.GATEWAY_IDLE_MINUTES * 60_000,
      logger: sessionLogger,
      metrics,
      onEnded: (ended) => registry.remove(ended),
    });
    registry.add(session);
    session.logger.info({ kind }, 'session started');
    return session;
  }

  return {
    metrics,
    sessions: () => registry.all().map((s) => s.info()),
    sandboxMode: () => sandbox,
    async listen() {
      layout = inspectHostLayout();
      const probed = await probeSandbox(options.bwrapPath ?? 'bwrap');
      if (probed.kind === 'bwrap') {
        sandbox = probed;
        identityDir = writeSandboxIdentityFiles(config.GATEWAY_HOMES_DIR);
        logger.info({ uidMapping: probed.uidMapping }, 'local terminals run in a bubblewrap sandbox');
      } else if (config.GATEWAY_LOCAL_UNSANDBOXED === 'single-user') {
        sandbox = { kind: 'unsandboxed' };
        logger.warn(
          { reason: probed.kind === 'unavailable' ? probed.reason : undefined },
          'WARNING: bubblewrap is unavailable and GATEWAY_LOCAL_UNSANDBOXED=single-user: local terminals run UNSANDBOXED with full access to this machine as the gateway user. Never do this with more than one learner.',
        );
      } else {
        sandbox = probed;
        logger.error({ reason: probed.kind === 'unavailable' ? probed.reason : undefined }, 'bubblewrap is unavailable: local terminals will be refused (kubectl-exec terminals still work)');
      }
      const heartbeatMs = options.heartbeatMs ?? 30_000;
      heartbeat = setInterval(() => {
        for (const ws of wss.clients) {
          if (alive.get(ws) === false) {
            ws.terminate();
            continue;
          }
          alive.set(ws, false);
          ws.ping();
        }
      }, heartbeatMs);
      heartbeat.unref();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.GATEWAY_PORT;
      logger.info({ host: config.GATEWAY_HOST, port, origins: config.GATEWAY_ALLOWED_ORIGINS }, 'terminal gateway listening');
      return { port };
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };

  async function shutdown(): Promise<void> {
    closing = true;
    if (heartbeat) clearInterval(heartbeat);
    const sessions = registry.all();
    for (const session of sessions) session.end('gateway-shutdown');
    await Promise.race([Promise.all(sessions.map((s) => s.whenEnded())), new Promise((r) => setTimeout(r, 5000).unref())]);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => {
      wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
