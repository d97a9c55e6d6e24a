import path from 'node:path';
import type { NextConfig } from 'next';
import { dataContentSecurityPolicy, staticSecurityHeaders } from './src/security/security-headers';

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: [
    '@istio-workshop/labs',
    '@istio-workshop/checkers',
    '@istio-workshop/clusters',
    '@istio-workshop/terminal-gateway',
  ],
  // Native modules and packages that read their own files at run time stay outside the bundle.
  serverExternalPackages: [
    'better-sqlite3',
    'pg',
    'kysely',
    'mdx-bundler',
    'esbuild',
    '@kubernetes/client-node',
    '@kubernetes-models/istio',
    'pino',
    'prom-client',
    'node-pty',
    'ws',
  ],
  outputFileTracingRoot: path.resolve(import.meta.dirname, '../..'),
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  // `npm run typecheck` checks the whole repo (tests included) once; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Next copies a request body for the proxy; only pages reach the proxy, and they take no body.
  experimental: { proxyClientMaxBodySize: '64kb' },
  // Pages get their Content-Security-Policy (with a nonce) from proxy.ts.
  headers: async () => [
    { source: '/:path*', headers: [...staticSecurityHeaders] },
    ...['/api/:path*', '/healthz', '/metrics'].map((source) => ({
      source,
      headers: [{ key: 'Content-Security-Policy', value: dataContentSecurityPolicy }],
    })),
  ],
  reactStrictMode: true,
  // The addon UIs under /kiali/, /jaeger/… need their trailing slash (Kiali redirects /kiali to
  // /kiali/; relative links resolve against it): Next's redirect to the slash-less path would loop.
  skipTrailingSlashRedirect: true,
};

export default config;
