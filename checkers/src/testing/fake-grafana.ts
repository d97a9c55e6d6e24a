import http from 'node:http';
import { answerGrafana, emptyStore, type GrafanaStore } from './grafana-model';
import { listenOnLoopback } from './loopback-server';

export interface FakeGrafana {
  url: string;
  /** The dashboards Grafana holds now (provisioned and saved); the server reads it on every request. */
  store: GrafanaStore;
  setStore(store: GrafanaStore): void;
  /** `METHOD /path?query` of every request, for assertions. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local server answering like Grafana 12.0.1 at `/` (the addon keeps serving there; only the links it
 * emits carry /grafana/): `/api/health`, `/api/search`, `/api/dashboards/uid/<uid>` (GET, DELETE) and
 * `POST /api/dashboards/db`, from the model in grafana-model.ts.
 */
export async function startFakeGrafana(initial: GrafanaStore = emptyStore()): Promise<FakeGrafana> {
  const fake: Omit<FakeGrafana, 'url' | 'close'> = {
    store: initial,
    setStore(store) {
      fake.store = store;
    },
    requests: [],
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      fake.requests.push(`${method} ${path}`);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          const text = JSON.stringify({ message: 'bad request data' });
          res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
      }
      const answer = answerGrafana(fake.store, method, path, body);
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  const listening = await listenOnLoopback(server);
  return Object.assign(fake, {
    url: listening.url,
    close: listening.close,
  });
}
