import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

// Every page is rendered per request, so Next can stamp each page's scripts with the nonce of its
// Content-Security-Policy (proxy.ts); a page prerendered at build time (such as the 404 page) would
// carry scripts without it, and the browser would refuse them.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Istio Workshop',
  description: 'Hands-on Istio labs: a lesson beside a live terminal, every step checked against your cluster.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
