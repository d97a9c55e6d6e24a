// The plain terminal server as a process of its own (the gateway is one too), so a benchmark's
// client and the plain server do not share an event loop: `node --import tsx` this file; it
// prints its URL on the first line and stops when its stdin closes.
import { startPlainTerminalServer } from './plain-terminal-server';

const server = await startPlainTerminalServer();
console.log(server.url);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
