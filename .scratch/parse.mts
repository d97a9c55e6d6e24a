import { clientFrameSchema } from '../apps/terminal-gateway/src/terminal-protocol';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const a: number[] = [], b: number[] = [];
for (let i = 0; i < 200; i++) {
  await sleep(20 + Math.random() * 30);
  const text = JSON.stringify({ t: 'input', d: String.fromCharCode(97 + (i % 26)) });
  const t0 = process.hrtime.bigint();
  const json = JSON.parse(text);
  const t1 = process.hrtime.bigint();
  const r = clientFrameSchema.safeParse(json);
  const t2 = process.hrtime.bigint();
  if (!r.success) throw new Error();
  a.push(Number(t1 - t0) / 1e3); b.push(Number(t2 - t1) / 1e3);
}
a.sort((x, y) => x - y); b.sort((x, y) => x - y);
console.log('JSON.parse us p50', a[100], 'zod us p50', b[100]);
const t = process.hrtime.bigint(); for (let i = 0; i < 1e5; i++) clientFrameSchema.safeParse({ t: 'input', d: 'x' }); console.log('hot zod us', Number(process.hrtime.bigint() - t) / 1e8);
