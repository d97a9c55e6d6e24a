// The portal's HTTP server: Next's request handler behind a plain Node server that owns the
// socket, so the portal knows each client's real address. `next start` keeps an X-Forwarded-For
// the client sent itself, which would let a script choose its own address for the per-address
// limit on new learners. Usage: node server.mjs <host> <port>
import { createServer } from 'node:http';
import next from 'next';

const [host = '127.0.0.1', portText = '3000'] = process.argv.slice(2);
const port = Number(portText);
// Behind a reverse proxy that appends the client's address to X-Forwarded-For, keep its header.
const trustSetting = process.env.PORTAL_TRUST_FORWARDED_FOR ?? '';
if (!['', '0', '1'].includes(trustSetting)) {
  console.error(`portal: PORTAL_TRUST_FORWARDED_FOR must be 1 (behind a reverse proxy) or 0, got "${trustSetting}"`);
  process.exit(1);
}
const trustForwardedFor = trustSetting === '1';

const app = next({ dev: false, dir: import.meta.dirname, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  if (!trustForwardedFor) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
  void handle(req, res);
});
server.on('error', (error) => {
  console.error(error.code === 'EADDRINUSE' ? `portal: port ${port} on ${host} is already in use` : `portal: cannot listen: ${error.message}`);
  process.exit(1);
});
server.listen(port, host);
const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
