'use client';

import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import './terminal-pane.css';
import { TerminalConnection, type ConnectionState, type TerminalTicket } from '../terminal/terminal-connection';
import { lessonCommandInput } from '../terminal/lesson-command-input';
import { LocalEcho } from '../terminal/local-echo';

export interface TerminalHandle {
  /** Runs a lesson command or solution script; a shell that has ended is replaced by a new one first. */
  run(command: string): void;
}

interface Props {
  environmentId: string;
  ticket: () => Promise<TerminalTicket>;
  onReady: (handle: TerminalHandle | undefined) => void;
  /** An instructor's read-only view: keystrokes are not sent (and the gateway would drop them). */
  readOnly?: boolean;
}

const stateLabel: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  'taken-over': 'In use in another tab',
  ended: 'Session ended',
  refused: 'Refused',
};

/** The documented way out of the terminal (Tab itself belongs to the shell: completion). */
export const leaveTerminalKeys = 'Esc then Tab';
const leaveHint = `Press Escape then Tab to leave the terminal (Escape then Shift+Tab to go back).`;

/** Where the learner's choice about instant echo is kept (in this browser). */
const localEchoKey = 'workshop.instantEcho';

function localEchoWanted(): boolean {
  try {
    return localStorage.getItem(localEchoKey) !== 'off';
  } catch {
    return true; // storage blocked: the default
  }
}

/** The learner's live shell: xterm.js fitted to its pane, wired to the gateway. */
export function TerminalPane({ environmentId, ticket, onReady, readOnly = false }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [detail, setDetail] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const [focused, setFocused] = useState(false);
  const [watchers, setWatchers] = useState(0);
  const ticketRef = useRef(ticket);
  ticketRef.current = ticket;
  const connectionRef = useRef<TerminalConnection | undefined>(undefined);
  const termRef = useRef<{ focus(): void } | undefined>(undefined);
  // Why the last connection dropped, to say on reconnect whether the shell is the same one.
  const lastDrop = useRef<string | undefined>(undefined);
  const localEchoRef = useRef<LocalEcho | undefined>(undefined);
  const [instantEcho, setInstantEcho] = useState(true);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void (async () => {
      // xterm touches `window` at import time, so load it only in the browser.
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !host.current) return;
      const term = new Terminal({
        // A blinking cursor repaints the row twice a second and delays echo (see README, benchmarks).
        cursorBlink: false,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
        fontSize: 14,
        scrollback: 5000,
        theme: { background: '#0f1720', foreground: '#e6edf3', cursor: '#7dd3fc' },
        disableStdin: readOnly,
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      fit.fit();
      termRef.current = term;
      let open = false;
      let stateNow: ConnectionState = 'connecting';
      let pendingRun: string | undefined;
      const echo = new LocalEcho(term, localEchoWanted());
      localEchoRef.current = echo;
      // Every piece of input goes through here, so local echo sees each key the shell gets.
      const send = (data: string) => {
        echo.input(data);
        connection.sendInput(data);
      };
      const pasteRun = (text: string) => {
        term.paste(text);
        send('\r');
        term.focus();
      };
      const connection = new TerminalConnection({
        ticket: () => ticketRef.current(),
        sink: {
          write: (data, done) =>
            echo.output(data, () => {
              done();
              // A Run that waited for a (new) shell goes in once the shell has printed its prompt.
              if (open && pendingRun !== undefined) {
                const text = pendingRun;
                pendingRun = undefined;
                pasteRun(text);
              }
            }),
          reset: () => {
            echo.reset();
            term.reset();
          },
          size: () => ({ cols: term.cols, rows: term.rows }),
        },
        onWatchers: (count) => {
          setWatchers(count);
          setAnnouncement(count > 0 ? 'Your instructor is now watching this terminal (read-only).' : 'Your instructor stopped watching this terminal.');
        },
        onState: (s, d) => {
          open = s === 'open';
          setState(s);
          if (s === 'open') {
            const drop = lastDrop.current;
            lastDrop.current = undefined;
            setDetail(drop === undefined ? undefined : d === 'reattached' ? 'reconnected to the same shell' : `a new shell: the last one was lost (${drop})`);
          } else {
            // The first reason is the one that matters; later retries only say why reconnecting takes a while.
            if (stateNow === 'open' && d !== undefined) lastDrop.current = d.replace(/; trying again.*$/, '');
            setDetail(d);
          }
          stateNow = s;
          if (s === 'taken-over' || s === 'ended' || s === 'refused') setAnnouncement(`Terminal: ${d ?? stateLabel[s]}`);
        },
      });
      connectionRef.current = connection;

      // Keyboard: Tab completes in the shell, so Escape then Tab (or Shift+Tab) lets the browser move
      // focus on. The Escape is held back briefly: sent to the shell it would turn the learner's next
      // key into a Meta key in bash. Any other key (or 300 ms) sends it on, so vim still gets it.
      let heldEscape: ReturnType<typeof setTimeout> | undefined;
      const releaseEscape = (sendIt: boolean) => {
        if (heldEscape === undefined) return;
        clearTimeout(heldEscape);
        heldEscape = undefined;
        if (sendIt) send('\x1b');
      };
      term.attachCustomKeyEventHandler((event) => {
        if (event.type !== 'keydown' || event.key === 'Shift') return true;
        if (event.key === 'Tab' && heldEscape !== undefined && !event.ctrlKey && !event.altKey && !event.metaKey) {
          releaseEscape(false);
          return false; // not for the shell: the browser's default moves focus
        }
        releaseEscape(true);
        if (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
          heldEscape = setTimeout(() => releaseEscape(true), 300);
          return false;
        }
        return true;
      });
      const textarea = term.textarea;
      const onFocus = () => {
        setFocused(true);
        setAnnouncement(leaveHint);
      };
      const onBlur = () => {
        releaseEscape(false);
        setFocused(false);
      };
      textarea?.setAttribute('aria-describedby', 'terminal-keys-hint');
      textarea?.addEventListener('focus', onFocus);
      textarea?.addEventListener('blur', onBlur);

      const input = term.onData(send);
      const resized = term.onResize(({ cols, rows }) => connection.resize(cols, rows));
      const observer = new ResizeObserver(() =>
        // Keys drawn ahead of their echo are taken back first: a reflow would move them.
        echo.takeBack(() => {
          try {
            fit.fit();
          } catch {
            // The pane can be zero-sized mid-drag; the next resize fits again.
          }
        }),
      );
      observer.observe(host.current);
      connection.start();
      // Exposed for journeys and benchmarks that read the screen, not pixels.
      (window as unknown as { __workshopTerminal?: unknown }).__workshopTerminal = term;
      onReady({
        run: (command) => {
          const text = lessonCommandInput(command);
          if (open && connection.isOpen) {
            pasteRun(text);
            return;
          }
          pendingRun = text;
          // An ended shell is replaced, and a Run here takes the terminal back from another tab.
          if (stateNow === 'ended' || stateNow === 'taken-over' || stateNow === 'refused') connection.reconnect();
        },
      });
      cleanup = () => {
        onReady(undefined);
        observer.disconnect();
        input.dispose();
        resized.dispose();
        textarea?.removeEventListener('focus', onFocus);
        textarea?.removeEventListener('blur', onBlur);
        connection.stop();
        connectionRef.current = undefined;
        localEchoRef.current = undefined;
        termRef.current = undefined;
        term.dispose();
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
    // The terminal lives as long as the pane; ticket changes are read through the ref.
  }, []);

  useEffect(() => setInstantEcho(localEchoWanted()), []);
  const toggleInstantEcho = () => {
    const on = !instantEcho;
    setInstantEcho(on);
    localEchoRef.current?.setEnabled(on);
    try {
      localStorage.setItem(localEchoKey, on ? 'on' : 'off');
    } catch {
      // Storage blocked: the choice holds for this page only.
    }
    termRef.current?.focus();
  };

  const reconnect = () => {
    connectionRef.current?.reconnect();
    termRef.current?.focus();
  };
  const action =
    state === 'taken-over'
      ? { label: 'Use here', test: 'terminal-use-here', text: 'Your terminal is open in another tab or window; keystrokes here would go nowhere.' }
      : state === 'ended'
        ? { label: 'Start a new shell', test: 'terminal-new-shell', text: `Your shell has ended: ${detail ?? 'it exited'}.` }
        : state === 'refused'
          ? { label: 'Try again', test: 'terminal-reconnect', text: `The terminal gateway refused: ${detail ?? 'no reason given'}.` }
          : state === 'reconnecting'
            ? { label: 'Reconnect now', test: 'terminal-reconnect', text: `Reconnecting: ${detail ?? 'the connection dropped'}.` }
            : undefined;

  return (
    <section
      className="terminal"
      id="terminal"
      tabIndex={-1}
      aria-label="Terminal"
      data-test="terminal-pane"
      data-environment={environmentId}
      data-state={state}
      onFocus={(event) => {
        // The skip link lands on the section; the shell is what the learner wants.
        if (event.target === event.currentTarget) termRef.current?.focus();
      }}
    >
      <header className="terminal-bar">
        <span className={`terminal-state terminal-state-${state}`} data-test="terminal-state">
          {stateLabel[state]}
        </span>
        {detail && !action ? (
          <span className="terminal-detail" data-test="terminal-detail">
            {detail}
          </span>
        ) : null}
        <span className="terminal-bar-end">
          {focused && state === 'open' ? (
            <span className="terminal-keys" aria-hidden="true">
              {leaveTerminalKeys} leaves the terminal
            </span>
          ) : null}
          {readOnly ? null : (
            <button
              type="button"
              className="terminal-echo"
              data-test="terminal-instant-echo"
              aria-pressed={instantEcho}
              onClick={toggleInstantEcho}
              title="Draws each character you type at once, before the shell's echo comes back (it is taken back if the shell does not echo it, as at a password prompt). Turn it off to see only what the shell sends."
            >
              instant echo: {instantEcho ? 'on' : 'off'}
            </button>
          )}
          <span className="terminal-scope" data-test="terminal-scope" title="Your environment is shared by all labs, and so is its shell: variables and the working directory come with you to the next lab.">
            one shell for all your labs
          </span>
        </span>
      </header>
      {watchers > 0 && !readOnly ? (
        <p className="terminal-watched" data-test="terminal-watched" role="status">
          Your instructor is watching this terminal (they can see, not type).
        </p>
      ) : null}
      {readOnly ? (
        <p className="terminal-watched" data-test="terminal-read-only">
          Read-only: you see the learner&apos;s screen live; your keystrokes are not sent.
        </p>
      ) : null}
      <div className="terminal-body">
        <div className="terminal-host" ref={host} data-test="terminal" />
        {action ? (
          <div className={`terminal-overlay terminal-overlay-${state}`} data-test="terminal-overlay" role="status">
            <p data-test="terminal-detail">{action.text}</p>
            <button type="button" className="primary" data-test={action.test} onClick={reconnect}>
              {action.label}
            </button>
          </div>
        ) : null}
      </div>
      <p id="terminal-keys-hint" className="visually-hidden">
        {leaveHint}
      </p>
      <p className="visually-hidden" aria-live="polite" data-test="terminal-announcement">
        {announcement}
      </p>
    </section>
  );
}
