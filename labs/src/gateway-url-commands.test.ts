import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { defaultLabsDir, loadLabs } from './load-labs';

/**
 * Every lesson and solution command that uses $GATEWAY_URL, run through the real curl with
 * GATEWAY_URL exactly as the toolbox Deployment sets it. A local HTTP server stands in for the
 * ingress gateway: curl's own config (`connect-to`) sends the toolbox's host name there, so the
 * URL curl parses is the one a learner's shell builds. A scheme inside GATEWAY_URL ("http://http://…")
 * makes curl try to resolve the host "http" and exit 6, which fails this test.
 */

const toolboxYaml = path.resolve(defaultLabsDir, '../clusters/manifests/toolbox.yaml');

function toolboxGatewayUrl(): string {
  for (const doc of parseAllDocuments(readFileSync(toolboxYaml, 'utf8'))) {
    const obj = doc.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Array<{ env?: Array<{ name: string; value?: string }> }> } } } } | null;
    if (obj?.kind !== 'Deployment') continue;
    for (const c of obj.spec?.template?.spec?.containers ?? []) {
      const value = c.env?.find((e) => e.name === 'GATEWAY_URL')?.value;
      if (value) return value;
    }
  }
  throw new Error(`${toolboxYaml}: no GATEWAY_URL in the toolbox Deployment`);
}

/** Joins backslash continuations so one command is one line. */
function logicalLines(text: string): string[] {
  return text.replace(/\\\n\s*/g, ' ').split('\n');
}

interface LabCommand {
  where: string;
  /** Lines to run in one shell: variable assignments the command needs, then the command. */
  script: string;
}

const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

function commandsOf(labDir: string, labId: string, files: string[]): LabCommand[] {
  const out: LabCommand[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(labDir, file), 'utf8');
    const bodies = file.endsWith('.mdx') ? [...text.matchAll(/```sh run\n([\s\S]*?)```/g)].map((m) => m[1] ?? '') : [text];
    for (const body of bodies) {
      const lines = logicalLines(body).map((l) => l.trim());
      const vars = lines.filter((l) => assignment.test(l) && !l.startsWith('GATEWAY_URL='));
      for (const line of lines) {
        if (!line.includes('GATEWAY_URL') || line.startsWith('#') || assignment.test(line)) continue;
        // Two rounds of a loop build the same URLs as two hundred, in a fraction of the time.
        const short = line.replace(/\$\(seq 1 \d+\)/g, '$(seq 1 2)');
        out.push({ where: `${labId}/${file}: ${line}`, script: [...vars, short].join('\n') });
      }
    }
  }
  return out;
}

const gatewayUrl = toolboxGatewayUrl();
const catalog = loadLabs();
const commands = catalog.labs.flatMap((lab) =>
  commandsOf(lab.dir, lab.id, ['index.mdx', ...lab.steps.flatMap((s) => (s.solution ? [s.solution] : []))]),
);

function runBash(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

let server: http.Server;
let dir: string;
const seen: Array<{ host: string; path: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ host: req.headers.host ?? '', path: req.url ?? '' });
    req.resume();
    if (req.url?.startsWith('/api/v1/products/0/reviews')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '0', podname: 'reviews-v1-5b7d8c9f-abcde', reviews: [] }));
    } else if (req.url === '/login') {
      res.writeHead(302, { location: '/productpage', 'set-cookie': 'session=jason; Path=/' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Book Details</html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(path.join(tmpdir(), 'gateway-url-'));
  const [host = '', hostPort = '80'] = gatewayUrl.split(':');
  // curl reads $CURL_HOME/.curlrc: connections for the toolbox's host name go to the stand-in.
  writeFileSync(path.join(dir, '.curlrc'), `connect-to = "${host}:${hostPort}:127.0.0.1:${port}"\n`);
  const realCurl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
  if (!realCurl) throw new Error('curl is not on PATH');
  // A curl in front of the real one that records each exit code (pipelines would hide them).
  const wrapper = path.join(dir, 'bin', 'curl');
  mkdirSync(path.dirname(wrapper));
  writeFileSync(wrapper, `#!/bin/sh\n"${realCurl}" "$@"\nrc=$?\necho "$rc" >> "$CURL_EXITS"\nexit $rc\n`);
  chmodSync(wrapper, 0o755);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('commands that use $GATEWAY_URL', () => {
  it('the toolbox sets GATEWAY_URL to host[:port] without a scheme', () => {
    expect(gatewayUrl).toMatch(/^[a-z0-9.-]+(:\d+)?$/);
  });

  it('lessons and solutions use it (the list below is not empty)', () => {
    expect(commands.length).toBeGreaterThan(20);
  });

  it('solutions fall back to the toolbox value when GATEWAY_URL is unset', () => {
    for (const lab of catalog.labs) {
      for (const step of lab.steps) {
        if (!step.solution) continue;
        const text = readFileSync(path.join(lab.dir, step.solution), 'utf8');
        for (const m of text.matchAll(/GATEWAY_URL="\$\{GATEWAY_URL:-([^}]*)\}"/g)) expect(m[1], `${lab.id}/${step.solution}`).toBe(gatewayUrl);
        for (const m of text.matchAll(/([a-z]*:\/\/)?\$\{?GATEWAY_URL\}?/g)) expect(m[1] ?? '', `${lab.id}/${step.solution}: ${m[0]}`).toMatch(/^(http:\/\/)?$/);
      }
    }
  });

  for (const command of commands) {
    it(command.where, { timeout: 60_000 }, async () => {
      const exits = path.join(dir, `exits-${Math.random().toString(36).slice(2)}`);
      writeFileSync(exits, '');
      const before = seen.length;
      // Asynchronous: the stand-in server answers on this process's event loop.
      const run = await runBash(command.script, {
        PATH: `${path.join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
        HOME: dir,
        CURL_HOME: dir,
        CURL_EXITS: exits,
        GATEWAY_URL: gatewayUrl,
      });
      const codes = readFileSync(exits, 'utf8').split('\n').filter(Boolean).map(Number);
      const why = `${command.script}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
      expect(codes.length, `curl never ran: ${why}`).toBeGreaterThan(0);
      expect(codes.filter((c) => c === 6), `curl could not resolve the host (exit 6): ${why}`).toEqual([]);
      expect(codes.filter((c) => c !== 0), `curl failed: ${why}`).toEqual([]);
      const reached = seen.slice(before);
      expect(reached.length, `no request reached the stand-in ingress: ${why}`).toBe(codes.length);
      for (const r of reached) expect(r.host).toMatch(/^(istio-ingressgateway\.istio-system|[a-z]+\.example\.com)(:\d+)?$/);
    });
  }
});
