// Entry point: `npm start -w apps/terminal-gateway` (tsx src/main.ts).
import { GatewayConfigError, loadGatewayConfig, type GatewayConfig } from './gateway-config';
import { createGatewayLogger } from './gateway-logger';
import { createGateway } from './gateway-server';

let config: GatewayConfig;
try {
  config = loadGatewayConfig();
} catch (error) {
  if (error instanceof GatewayConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createGatewayLogger(config.GATEWAY_LOG_LEVEL);
const gateway = createGateway(config, logger);

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  await gateway.close();
  process.exit(0);
}

// `on`, not `once`: a supervisor and a process-group kill may both send SIGTERM, and a second one
// must not cut the graceful shutdown short (browsers would hear "connection lost", not "going away").
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

gateway.listen().catch((error: unknown) => {
  logger.fatal({ err: (error as Error).message }, 'the terminal gateway could not start');
  process.exit(1);
});
