import { describe, expect, it } from 'vitest';
import { emulateCurl } from '../testing/curl-emulator';
import { curlArgv, parseCurlOutput } from './curl-command';

describe('curl command lines', () => {
  it('round-trips several transfers through one curl call', async () => {
    let n = 0;
    const argv = curlArgv({ urls: ['http://svc.ns:8000/a', 'http://svc.ns:8000/b', 'http://down.ns/'], headers: { cookie: 'session=x' } });
    const out = await emulateCurl(argv, {
      'svc.ns:8000': (r) => ({ status: ++n === 1 ? 200 : 503, body: `${r.path} ${r.headers['cookie'] ?? ''}` }),
      'down.ns': { curlExitCode: 7 },
    });
    const transfers = parseCurlOutput(out.stdout ?? '');
    expect(transfers.map((t) => [t.httpCode, t.body])).toEqual([
      [200, '/a session=x'],
      [503, '/b session=x'],
      [0, ''],
    ]);
    expect(out.exitCode).toBe(7);
  });
  it('splits headers from the body with -i', () => {
    const stdout = 'HTTP/1.1 302 FOUND\r\nset-cookie: session=abc; Path=/\r\nlocation: /productpage\r\n\r\n\n@@istio-workshop-curl@@ 302 0.010\n';
    const [t] = parseCurlOutput(stdout, true);
    expect(t).toMatchObject({ httpCode: 302, headers: { 'set-cookie': 'session=abc; Path=/', location: '/productpage' }, body: '' });
  });
});
