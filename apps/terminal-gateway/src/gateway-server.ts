// The gateway: an HTTP server (gateway-http-routes.ts), the WebSocket upgrade of terminals
// (terminal-upgrade-handler.ts), the session factory, and the heartbeat, all registered in one
// disposable store that `close()` releases.
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { DisposableStore } from './disposable-store';
import type { GatewayConfig } from './gateway-config';
import { createHttpRoutes } from './gateway-http-routes';
import { GatewayMetrics } from './gateway-metrics';
import type { SandboxMode } from './local-sandbox';
import { PtyHost } from './pty-host-client';
import { prepareSandboxHost, type SandboxHost } from './sandbox-host';
import { SessionFactory } from './session-factory';
import { SessionRegistry } from './session-registry';
import { TerminalAdmission } from './terminal-admission';
import { TerminalAuthorizer } from './terminal-authorizer';
import { maxClientFrameBytes } from './terminal-frames';
import type { SessionInfo } from './terminal-session';
import type { TerminalRole } from './terminal-token';
import { createUpgradeHandler } from './terminal-upgrade-handler';
import { UsedTicketCache } from './used-ticket-cache';
import { WebSocketHeartbeat } from './websocket-heartbeat';

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
  /** What this host enforces for local sandboxes (known after `listen`). */
  sandboxHost(): SandboxHost | undefined;
  /** The pty host process's pid (undefined with GATEWAY_PTY_HOST=inline, or while it restarts). */
  ptyHostPid(): number | undefined;
  readonly metrics: GatewayMetrics;
}

export function createGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions = {}): Gateway {
  const store = new DisposableStore();
  const registry = new SessionRegistry();
  let host: SandboxHost | undefined;
  let closing = false;
  let closed: Promise<void> | undefined;

  const metrics = GatewayMetrics.create({
    sessions: () => registry.size,
    connections: (role: TerminalRole) => registry.all().reduce((n, s) => n + s.connectionCount(role), 0),
  });
  const ptyHost =
    config.GATEWAY_PTY_HOST === 'process' ? new PtyHost({ logger, onForkSeconds: (seconds) => metrics.ptyHostForkSeconds.observe(seconds) }) : undefined;
  const sessions = new SessionFactory({ config, host: () => host, registry, metrics, localShell: options.localShell ?? ['bash', '--login'], ptyHost: () => ptyHost });
  const authorizer = new TerminalAuthorizer({
    config,
    logger,
    metrics,
    registry,
    usedTickets: new UsedTicketCache(),
    admission: new TerminalAdmission({ maxTerminals: config.GATEWAY_MAX_TERMINALS, newPerSecond: config.GATEWAY_NEW_TERMINALS_PER_SECOND }),
    host: () => host,
    liveTerminals: () => registry.size + sessions.starting,
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxClientFrameBytes, perMessageDeflate: false });
  const heartbeat = new WebSocketHeartbeat(wss);
  const server = createServer(
    createHttpRoutes({
      config,
      logger,
      metrics,
      authorizer,
      health: () => ({
        status: 'ok',
        sessions: registry.size,
        connections: registry.all().reduce((n, s) => n + s.connectionCount(), 0),
        sandbox: host?.mode.kind ?? 'unknown',
      }),
    }),
  );
  // When each connection arrived: admission charges a new terminal at that time, not when its
  // upgrade is finally handled (a busy event loop handles a burst over a longer span, and the
  // token bucket would refill meanwhile).
  const arrivals = new WeakMap<object, number>();
  server.on('connection', (socket) => arrivals.set(socket, Date.now()));
  server.on(
    'upgrade',
    createUpgradeHandler({ logger, wss, authorizer, sessions, isClosing: () => closing, accepted: (ws) => heartbeat.watch(ws), arrivedAt: (req) => arrivals.get(req.socket) }),
  );

  // Released last to first: heartbeat, sessions (their ptys), WebSocket clients, then the server.
  store.add(
    () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  store.add(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  // After the sessions (released before it): their shells have exited by then.
  if (ptyHost) store.add(() => ptyHost.close());
  store.add(async () => {
    const live = registry.all();
    for (const session of live) session.end('gateway-shutdown');
    await Promise.race([Promise.all(live.map((s) => s.whenEnded())), new Promise((r) => setTimeout(r, 5000).unref())]);
    for (const ws of wss.clients) ws.terminate();
  });

  return {
    metrics,
    sessions: () => registry.all().map((s) => s.info()),
    sandboxMode: () => host?.mode,
    sandboxHost: () => host,
    ptyHostPid: () => ptyHost?.pid,
    async listen() {
      host = await startSandboxHost(config, logger, options.bwrapPath ?? 'bwrap');
      // After the sandbox host: the pty host joins the gateway's cgroup, which is claimed there.
      await ptyHost?.start();
      store.add(heartbeat.start(options.heartbeatMs ?? 30_000));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.GATEWAY_PORT;
      logger.info(
        { host: config.GATEWAY_HOST, port, origins: config.GATEWAY_ALLOWED_ORIGINS, maxTerminals: config.GATEWAY_MAX_TERMINALS, newTerminalsPerSecond: config.GATEWAY_NEW_TERMINALS_PER_SECOND },
        'terminal gateway listening',
      );
      return { port };
    },
    close() {
      closing = true;
      closed ??= store.dispose();
      return closed;
    },
  };
}

/** Probes the sandbox; without bubblewrap, either the declared single-user mode or local terminals refused. */
async function startSandboxHost(config: GatewayConfig, logger: Logger, bwrapPath: string): Promise<SandboxHost> {
  const host = await prepareSandboxHost(config, logger, bwrapPath);
  if (host.mode.kind === 'bwrap') return host;
  const reason = host.mode.kind === 'unavailable' ? host.mode.reason : undefined;
  if (config.GATEWAY_LOCAL_UNSANDBOXED === 'single-user') {
    logger.warn(
      { reason },
      'WARNING: bubblewrap is unavailable and GATEWAY_LOCAL_UNSANDBOXED=single-user: local terminals run UNSANDBOXED with full access to this machine as the gateway user. Never do this with more than one learner.',
    );
    return { ...host, mode: { kind: 'unsandboxed' } };
  }
  logger.error({ reason }, 'bubblewrap is unavailable: local terminals will be refused (kubectl-exec terminals still work)');
  return host;
}
