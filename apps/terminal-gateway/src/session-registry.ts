// Live sessions keyed by (environment, terminal name); one pty each.
import type { TerminalSession } from './terminal-session';

export class SessionRegistry {
  private readonly sessions = new Map<string, TerminalSession>();

  private static key(environmentId: string, terminalName: string): string {
    return `${environmentId}\u0000${terminalName}`;
  }

  get(environmentId: string, terminalName: string): TerminalSession | undefined {
    const session = this.sessions.get(SessionRegistry.key(environmentId, terminalName));
    return session && !session.isEnded ? session : undefined;
  }

  add(session: TerminalSession): void {
    this.sessions.set(SessionRegistry.key(session.environmentId, session.terminalName), session);
  }

  /** Removes the entry only if it still is this session (a replacement may already sit there). */
  remove(session: TerminalSession): void {
    const key = SessionRegistry.key(session.environmentId, session.terminalName);
    if (this.sessions.get(key) === session) this.sessions.delete(key);
  }

  /** Sessions a learner owns that are not ending, attached or waiting in their grace period. */
  countForLearner(learnerId: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.learnerId === learnerId && !s.isEnded) n += 1;
    return n;
  }

  all(): TerminalSession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }
}
