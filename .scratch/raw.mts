import { spawn } from 'node-pty';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function measure(name: string, file: string, args: string[], env: Record<string, string>) {
  const pty = spawn(file, args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: env.HOME ?? '/tmp', env });
  let text = '';
  let waiting: { ch: string; resolve: () => void } | undefined;
  pty.onData((d) => { text = (text + d).slice(-100); if (waiting && text.endsWith(waiting.ch)) { const w = waiting; waiting = undefined; w.resolve(); } });
  await sleep(1500);
  const out: number[] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 40 === 0) { pty.write('\x15'); await sleep(30); }
    const ch = String.fromCharCode(97 + (i % 26));
    const done = new Promise<void>((resolve) => (waiting = { ch, resolve }));
    const t = process.hrtime.bigint();
    pty.write(ch);
    await done;
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
    await sleep(20 + Math.random() * 30);
  }
  out.sort((a, b) => a - b);
  console.log(name.padEnd(30), out[150]!.toFixed(3), out[285]!.toFixed(3));
  pty.kill();
}
const home = process.argv[2]!;
await measure('bash --norc', 'bash', ['--norc', '--noprofile'], { PATH: '/usr/bin:/bin', TERM: 'xterm-256color', PS1: '$ ', HOME: '/tmp' });
await measure('bash --login (learner home)', 'bash', ['--login'], { PATH: '/usr/bin:/bin', TERM: 'xterm-256color', HOME: home });
await measure('bash --norc', 'bash', ['--norc', '--noprofile'], { PATH: '/usr/bin:/bin', TERM: 'xterm-256color', PS1: '$ ', HOME: '/tmp' });
await measure('bash --login (learner home)', 'bash', ['--login'], { PATH: '/usr/bin:/bin', TERM: 'xterm-256color', HOME: home });
