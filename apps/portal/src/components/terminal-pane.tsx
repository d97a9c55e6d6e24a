'use client';

import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import { TerminalConnection, type ConnectionState, type TerminalTicket } from '../terminal/terminal-connection';

export interface TerminalHandle {
  run(command: string): void;
}

interface Props {
  environmentId: string;
  ticket: () => Promise<TerminalTicket>;
  onReady: (handle: TerminalHandle | undefined) => void;
}

const stateLabel: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  ended: 'Session ended',
  refused: 'Refused',
};

/** The learner's live shell: xterm.js fitted to its pane, wired to the gateway. */
export function TerminalPane({ environmentId, ticket, onReady }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [detail, setDetail] = useState<string | undefined>();
  const ticketRef = useRef(ticket);
  ticketRef.current = ticket;

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void (async () => {
      // xterm touches `window` at import time, so load it only in the browser.
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !host.current) return;
      const term = new Terminal({
        cursorBlink: true,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
        fontSize: 14,
        scrollback: 5000,
        theme: { background: '#0f1720', foreground: '#e6edf3', cursor: '#7dd3fc' },
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      fit.fit();
      const connection = new TerminalConnection({
        ticket: () => ticketRef.current(),
        sink: {
          write: (data, done) => term.write(data, done),
          reset: () => term.reset(),
          size: () => ({ cols: term.cols, rows: term.rows }),
        },
        onState: (s, d) => {
          setState(s);
          setDetail(d);
        },
      });
      const input = term.onData((d) => connection.sendInput(d));
      const resized = term.onResize(({ cols, rows }) => connection.resize(cols, rows));
      const observer = new ResizeObserver(() => {
        try {
          fit.fit();
        } catch {
          // The pane can be zero-sized mid-drag; the next resize fits again.
        }
      });
      observer.observe(host.current);
      connection.start();
      // Exposed for journeys and benchmarks that read the screen, not pixels.
      (window as unknown as { __workshopTerminal?: unknown }).__workshopTerminal = term;
      onReady({
        run: (command) => {
          const text = command.endsWith('\n') ? command : `${command}\n`;
          connection.sendInput(text.replace(/\r?\n/g, '\r'));
          term.focus();
        },
      });
      cleanup = () => {
        onReady(undefined);
        observer.disconnect();
        input.dispose();
        resized.dispose();
        connection.stop();
        term.dispose();
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
    // The terminal lives as long as the pane; ticket changes are read through the ref.
  }, []);

  return (
    <section className="terminal" aria-label="Terminal" data-test="terminal-pane" data-environment={environmentId}>
      <header className="terminal-bar">
        <span className={`terminal-state terminal-state-${state}`} data-test="terminal-state">
          {stateLabel[state]}
        </span>
        {detail && state !== 'open' ? <span className="terminal-detail">{detail}</span> : null}
      </header>
      <div className="terminal-host" ref={host} data-test="terminal" />
    </section>
  );
}
