// Plain HTTP routes of the gateway: /healthz, /metrics and the terminal preflight.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GatewayConfig } from './gateway-config';
import type { GatewayMetrics } from './gateway-metrics';
import { refusalStatus } from './gateway-refusal';
import type { TerminalAuthorizer } from './terminal-authorizer';
import { loggablePath, parseTerminalUrl } from './terminal-request-url';

export interface HttpRouteDeps {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  authorizer: TerminalAuthorizer;
  health: () => Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function createHttpRoutes(deps: HttpRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, metrics, authorizer } = deps;

  function corsHeaders(origin: string | undefined): Record<string, string> {
    return origin && config.GATEWAY_ALLOWED_ORIGINS.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = loggablePath(req.url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'method-not-allowed', message: `${req.method ?? ''} is not supported here` } });
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, deps.health());
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
      const auth = authorizer.authorize(parsed, origin, 'preflight');
      if (!auth.ok) {
        authorizer.logRefusal(req, auth.refusal, auth.payload, 'preflight');
        const retry: Record<string, string> = auth.refusal.retryAfterSeconds ? { 'retry-after': String(auth.refusal.retryAfterSeconds) } : {};
        sendJson(res, refusalStatus[auth.refusal.code], { error: { code: auth.refusal.code, message: auth.refusal.message } }, { ...corsHeaders(origin), ...retry });
        return;
      }
      sendJson(res, 200, { ok: true, role: auth.payload.role, terminal: auth.terminalName, running: auth.existing !== undefined }, corsHeaders(origin));
      return;
    }
    sendJson(res, 404, { error: { code: 'not-found', message: `nothing at ${path}` } });
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      deps.logger.error({ err: (error as Error).message, path: loggablePath(req.url) }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
    });
  };
}
