import http from 'node:http';
import { listenOnLoopback } from './loopback-server';

export interface FakeSample {
  metric: Record<string, string>;
  value: number;
}

/** Answers one PromQL query; tests match on the query text (we do not evaluate PromQL). */
export type QueryHandler = (query: string) => FakeSample[] | undefined;

export interface FakePrometheus {
  url: string;
  setHandler(handler: QueryHandler): void;
  queries: string[];
  close(): Promise<void>;
}

/**
 * A local server answering Prometheus' `/api/v1/query` like Prometheus v3: a vector result, or a
 * 400 `bad_data` error for an empty query. Reach it through the fake API's service proxy.
 */
export async function startFakePrometheus(handler: QueryHandler = () => []): Promise<FakePrometheus> {
  let current = handler;
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://prometheus');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (url.pathname !== '/api/v1/query') return send(404, { status: 'error', errorType: 'not_found', error: 'not found' });
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    if (!query) return send(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": unknown position: parse error: no expression found in input' });
    const now = Date.now() / 1000;
    const samples = current(query) ?? [];
    send(200, {
      status: 'success',
      data: { resultType: 'vector', result: samples.map((s) => ({ metric: s.metric, value: [now, String(s.value)] })) },
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    setHandler(next) {
      current = next;
    },
    queries,
    close: listening.close,
  };
}
