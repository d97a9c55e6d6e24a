import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
// A plain module: a constant imported from a 'use client' file is a client reference on the server, not the string.
import { themeCookie } from '../src/theme/theme-cookie';
import './globals.css';

// Every page is rendered per request, so Next can stamp each page's scripts with the nonce of its
// Content-Security-Policy (proxy.ts); a page prerendered at build time (such as the 404 page) would
// carry scripts without it, and the browser would refuse them.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Istio Workshop',
  description: 'Hands-on Istio labs: a lesson beside a live terminal, every step checked against your cluster.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A remembered choice wins; without one, CSS follows prefers-color-scheme.
  const chosen = (await cookies()).get(themeCookie)?.value;
  const theme = chosen === 'light' || chosen === 'dark' ? chosen : undefined;
  return (
    <html lang="en" data-theme={theme}>
      <body>{children}</body>
    </html>
  );
}
