// Starts sessions: prepares the target (home, kubeconfig, relays) asynchronously, then opens a pty
// and has the pty host process fork the shell onto it (pty-host-client.ts), so a burst of new
// terminals never holds up the echo of the ones already open. With GATEWAY_PTY_HOST=inline the gateway forks itself, one pty at
// a time with a turn of the event loop in between.
import { randomUUID } from 'node:crypto';
import { spawn as spawnPty } from 'node-pty';
import type { Logger } from 'pino';
import type { GatewayConfig } from './gateway-config';
import type { GatewayMetrics } from './gateway-metrics';
import { homeFullMessage, watchHomeUsage } from './home-usage-watcher';
import type { Refusal } from './gateway-refusal';
import type { PtyHost, PtySpawnSpec } from './pty-host-client';
import type { SandboxHost } from './sandbox-host';
import { inlinePty, type SessionPty } from './session-pty';
import type { SessionRegistry } from './session-registry';
import { findExecutable, prepareSpawn, SpawnRefusedError, type PreparedSpawn } from './spawn-spec';
import { TerminalSession } from './terminal-session';
import type { TerminalTokenPayload } from './terminal-token';

export interface SessionFactoryDeps {
  config: GatewayConfig;
  host: () => SandboxHost | undefined;
  registry: SessionRegistry;
  metrics: GatewayMetrics;
  localShell: string[];
  /** Where ptys are spawned; undefined: in the gateway itself (GATEWAY_PTY_HOST=inline). */
  ptyHost: () => PtyHost | undefined;
}

/** Zod rebuilds parsed objects in schema key order, so equal targets give equal keys. */
export function targetKey(payload: TerminalTokenPayload): string {
  return JSON.stringify(payload.target);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SessionFactory {
  private readonly pending = new Map<string, Promise<TerminalSession | Refusal>>();
  private spawnQueue: Promise<unknown> = Promise.resolve();
  private turnQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SessionFactoryDeps) {}

  /** Sessions being prepared or waiting for their spawn: they count against admission. */
  get starting(): number {
    return this.pending.size;
  }

  /** Starts the session for (env, terminal), or joins the start already under way for it. */
  create(payload: TerminalTokenPayload, terminalName: string, logger: Logger): Promise<TerminalSession | Refusal> {
    const key = `${payload.env}\u0000${terminalName}`;
    const running = this.pending.get(key);
    if (running) return running;
    const started = this.start(payload, terminalName, logger).finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  private async start(payload: TerminalTokenPayload, terminalName: string, logger: Logger): Promise<TerminalSession | Refusal> {
    const kind = payload.target.kind;
    const host = this.deps.host();
    if (!host) return { code: 'sandbox-unavailable', message: 'the gateway is not listening yet' };
    const sessionId = randomUUID();
    let prepared: PreparedSpawn;
    try {
      prepared = await prepareSpawn(payload.target, {
        sandbox: host.mode,
        layout: host.layout,
        homesDir: this.deps.config.GATEWAY_HOMES_DIR,
        identityDir: host.identityDir,
        kubectl: this.deps.config.GATEWAY_KUBECTL,
        localShell: this.deps.localShell,
        limits: host.limits,
        tools: host.tools,
        owner: host.owner,
        seccompFile: host.seccompFile,
        cgroup: host.cgroup,
        sessionKey: sessionId.slice(0, 12),
      });
      if (!findExecutable(prepared.spec.file, prepared.spec.env.PATH)) {
        await prepared.release();
        throw new Error(`executable not found: ${prepared.spec.file}`);
      }
    } catch (error) {
      return this.failed(error, kind, logger);
    }
    const spawned = await this.spawn({ ...prepared.spec, cols: 80, rows: 24 });
    if (spawned instanceof Error) {
      await prepared.release();
      return this.failed(spawned, kind, logger);
    }
    this.deps.metrics.ptySpawns.inc({ kind });
    // Spawns in the pty host finish in bunches (its replies come in one read); building each
    // session (its headless terminal, ~1-3 ms) in a turn of its own keeps the loop free for echo.
    return this.inTurn(() => this.startSession(payload, terminalName, logger, host, prepared, spawned));
  }

  private startSession(payload: TerminalTokenPayload, terminalName: string, logger: Logger, host: SandboxHost, prepared: PreparedSpawn, spawned: SessionPty): TerminalSession {
    const kind = payload.target.kind;
    const config = this.deps.config;
    const ptyHost = this.deps.ptyHost();
    const session = new TerminalSession(spawned, {
      environmentId: payload.env,
      targetKey: targetKey(payload),
      terminalName,
      learnerId: payload.sub,
      graceMs: config.GATEWAY_GRACE_SECONDS * 1000,
      idleMs: config.GATEWAY_IDLE_MINUTES * 60_000,
      inputQueueLimitBytes: config.GATEWAY_INPUT_QUEUE_KB * 1024,
      logger,
      metrics: this.deps.metrics,
      onEnded: (ended) => {
        stopHomeWatch?.();
        this.deps.registry.remove(ended);
        void prepared.release().catch((error: unknown) => ended.logger.warn({ err: (error as Error).message }, 'could not clean up the session directory'));
      },
    });
    const checkSeconds = config.GATEWAY_SANDBOX_HOME_CHECK_SECONDS;
    const stopHomeWatch =
      prepared.home && host.mode.kind === 'bwrap'
        ? watchHomeUsage({
            home: prepared.home,
            measure: ptyHost ? (dir) => ptyHost.measureDirectoryBytes(dir) : undefined,
            limitBytes: host.limits.homeBytes,
            intervalMs: checkSeconds * 1000,
            warn: (used) => session.notify('home-full', homeFullMessage(used, host.limits.homeBytes, checkSeconds)),
            exceed: (used) => {
              session.logger.warn({ used, limit: host.limits.homeBytes }, 'home over its size limit: ending the session');
              session.end('home-full');
            },
          })
        : undefined;
    this.deps.registry.add(session);
    session.logger.info({ kind }, 'session started');
    return session;
  }

  /** Runs `work` after the ones queued before it, each after a turn of the event loop. */
  private inTurn<T>(work: () => T): Promise<T> {
    const turn = this.turnQueue.then(async () => {
      await yieldToEventLoop();
      return work();
    });
    this.turnQueue = turn.catch(() => undefined);
    return turn;
  }

  private async spawn(spec: PtySpawnSpec): Promise<SessionPty | Error> {
    const ptyHost = this.deps.ptyHost();
    if (!ptyHost)
      return this.enqueueSpawn(() => inlinePty(spawnPty(spec.file, spec.args, { name: 'xterm-256color', cols: spec.cols, rows: spec.rows, cwd: spec.cwd, env: spec.env })));
    const stopTimer = this.deps.metrics.ptySpawnSeconds.startTimer();
    const spawning = ptyHost.spawn(spec);
    stopTimer(); // the gateway's part: one frame written; the fork happens in the host
    return spawning.catch((error: unknown) => error as Error);
  }

  /** node-pty forks synchronously: spawn one at a time, each after a turn of the event loop. */
  private enqueueSpawn(spawn: () => SessionPty): Promise<SessionPty | Error> {
    const turn = this.spawnQueue.then(async () => {
      await yieldToEventLoop();
      const stopTimer = this.deps.metrics.ptySpawnSeconds.startTimer();
      try {
        return spawn();
      } catch (error) {
        return error as Error;
      } finally {
        stopTimer();
      }
    });
    this.spawnQueue = turn;
    return turn;
  }

  private failed(error: unknown, kind: string, logger: Logger): Refusal {
    if (error instanceof SpawnRefusedError) return { code: error.code, message: error.message };
    this.deps.metrics.ptySpawnFailures.inc({ kind });
    logger.error({ err: (error as Error).message, kind }, 'pty spawn failed');
    return { code: 'spawn-failed', message: 'the terminal could not be started' };
  }
}
