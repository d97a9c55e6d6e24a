// Prometheus metrics of one gateway instance (own registry, so tests can run several gateways).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TerminalRole } from './terminal-token';

export interface GatewayCounts {
  sessions(): number;
  connections(role: TerminalRole): number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly bytesOut: Counter;
  readonly bytesIn: Counter;
  readonly flowPauses: Counter;
  readonly inputPauses: Counter;
  readonly refusals: Counter<'code'>;
  readonly ptySpawns: Counter<'kind'>;
  readonly ptySpawnFailures: Counter<'kind'>;
  readonly ptySpawnSeconds: Histogram;
  readonly ptyHostForkSeconds: Histogram;
  readonly observersDropped: Counter;
  readonly sessionsEnded: Counter<'reason'>;

  private constructor(counts: GatewayCounts) {
    const registers = [this.registry];
    new Gauge({
      name: 'terminal_gateway_sessions',
      help: 'Sessions (one pty each) alive now, attached or waiting for a re-attach',
      registers,
      collect() {
        this.set(counts.sessions());
      },
    });
    new Gauge({
      name: 'terminal_gateway_connections',
      help: 'WebSocket connections attached to a session, by role',
      labelNames: ['role'],
      registers,
      collect() {
        this.set({ role: 'learner' }, counts.connections('learner'));
        this.set({ role: 'observer' }, counts.connections('observer'));
      },
    });
    this.bytesOut = new Counter({ name: 'terminal_gateway_output_bytes_total', help: 'Pty output bytes sent to clients', registers });
    this.bytesIn = new Counter({ name: 'terminal_gateway_input_bytes_total', help: 'Input bytes written to ptys', registers });
    this.flowPauses = new Counter({ name: 'terminal_gateway_flow_pauses_total', help: 'Times a pty was paused because a client fell behind', registers });
    this.inputPauses = new Counter({ name: 'terminal_gateway_input_pauses_total', help: 'Times reading a connection was paused because its pty had too much input queued', registers });
    this.refusals = new Counter({ name: 'terminal_gateway_refusals_total', help: 'Refused terminal connections, by code', labelNames: ['code'], registers });
    this.ptySpawns = new Counter({ name: 'terminal_gateway_pty_spawns_total', help: 'Ptys spawned, by target kind', labelNames: ['kind'], registers });
    this.ptySpawnFailures = new Counter({ name: 'terminal_gateway_pty_spawn_failures_total', help: 'Pty spawns that failed, by target kind', labelNames: ['kind'], registers });
    this.ptySpawnSeconds = new Histogram({
      name: 'terminal_gateway_pty_spawn_seconds',
      help: "Time the gateway's event loop spent in one pty spawn (the fork itself with GATEWAY_PTY_HOST=inline, sending a frame with the pty host)",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.ptyHostForkSeconds = new Histogram({
      name: 'terminal_gateway_pty_host_fork_seconds',
      help: "Time the pty host process spent forking one pty (off the gateway's event loop)",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.observersDropped = new Counter({ name: 'terminal_gateway_observers_dropped_total', help: 'Observer connections closed for lagging too far behind', registers });
    this.sessionsEnded = new Counter({ name: 'terminal_gateway_sessions_ended_total', help: 'Sessions ended, by reason', labelNames: ['reason'], registers });
    collectDefaultMetrics({ register: this.registry, prefix: 'terminal_gateway_' });
  }

  static create(counts: GatewayCounts): GatewayMetrics {
    return new GatewayMetrics(counts);
  }
}
