// The gateway's verdict on a terminal request (upgrade or preflight): token and origin
// (authorize-terminal-request.ts), one-time tickets, whether the target can run here, and
// admission of new terminals. Refusals are counted and logged here.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { authorizeTerminalRequest, type Authorization } from './authorize-terminal-request';
import type { GatewayConfig } from './gateway-config';
import type { GatewayMetrics } from './gateway-metrics';
import type { Refusal } from './gateway-refusal';
import type { SandboxHost } from './sandbox-host';
import type { SessionRegistry } from './session-registry';
import { assertTargetServable, SpawnRefusedError } from './spawn-spec';
import type { TerminalAdmission } from './terminal-admission';
import { environmentIdPattern, loggablePath, type ParsedTerminalUrl } from './terminal-request-url';
import type { TerminalTokenPayload } from './terminal-token';
import type { UsedTicketCache } from './used-ticket-cache';

export interface TerminalAuthorizerDeps {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  registry: SessionRegistry;
  usedTickets: UsedTicketCache;
  admission: TerminalAdmission;
  host: () => SandboxHost | undefined;
  /** Terminals live or being started, for admission. */
  liveTerminals: () => number;
}

export class TerminalAuthorizer {
  constructor(private readonly deps: TerminalAuthorizerDeps) {}

  /**
   * `upgrade` uses the ticket up and takes an admission slot for a new terminal, as of when the
   * request arrived (`arrivedAtMs`); `preflight` only reports what the upgrade would answer now.
   */
  authorize(parsed: ParsedTerminalUrl, origin: string | undefined, kind: 'upgrade' | 'preflight', arrivedAtMs?: number): Authorization {
    const { config, registry } = this.deps;
    if (!environmentIdPattern.test(parsed.environmentId))
      return { ok: false, refusal: { code: 'bad-request', message: 'the environment id in the path is not valid' } };
    const auth = authorizeTerminalRequest(
      { environmentId: parsed.environmentId, token: parsed.token, terminalName: parsed.terminalName, origin, requireOrigin: kind === 'upgrade' },
      { secret: config.WORKSHOP_TOKEN_SECRET, allowedOrigins: config.GATEWAY_ALLOWED_ORIGINS, maxSessionsPerLearner: config.GATEWAY_MAX_SESSIONS_PER_LEARNER, sessions: registry },
    );
    if (!auth.ok) return auth;
    const { jti, exp } = auth.payload;
    if (this.deps.usedTickets.wasUsed(jti))
      return { ok: false, payload: auth.payload, refusal: { code: 'ticket-used', message: 'this terminal ticket was already used; ask the portal for a new one' } };
    if (!auth.existing) {
      // A new session: refuse now, not after the upgrade, if its target cannot run here or the platform is full.
      try {
        assertTargetServable(auth.payload.target, this.deps.host()?.mode ?? { kind: 'unavailable', reason: 'the gateway is not listening yet' });
      } catch (error) {
        if (error instanceof SpawnRefusedError) return { ok: false, payload: auth.payload, refusal: { code: error.code, message: error.message } };
        throw error;
      }
      {
        const live = this.deps.liveTerminals();
        const verdict = kind === 'upgrade' ? this.deps.admission.admit(live, arrivedAtMs) : this.deps.admission.peek(live);
        if (!verdict.ok) return { ok: false, payload: auth.payload, refusal: { code: 'platform-full', message: verdict.message, retryAfterSeconds: verdict.retryAfterSeconds } };
      }
    }
    if (kind === 'upgrade') this.deps.usedTickets.use(jti, exp);
    return auth;
  }

  logRefusal(req: IncomingMessage, refusal: Refusal, payload: TerminalTokenPayload | undefined, kind: 'upgrade' | 'preflight'): void {
    this.deps.metrics.refusals.inc({ code: refusal.code });
    this.deps.logger.warn(
      { kind, code: refusal.code, reason: refusal.message, path: loggablePath(req.url), origin: req.headers.origin, learner: payload?.sub, env: payload?.env, role: payload?.role },
      'terminal connection refused',
    );
  }
}
