// Local echo: a typed character is drawn at the cursor as the key goes out, instead of one round
// trip later when the shell echoes it back (what mosh and VS Code's terminal call typeahead or
// prediction). On a gateway far from the learner that round trip is tens of milliseconds per key.
//
// The terminal's state must stay exactly what the shell wrote, so a prediction is only ever drawn
// where it can be taken back without a trace. An echo that matches it is consumed (the cells already
// are what it would write); any other output is written only after the prediction is taken back:
// - only a single printable ASCII character, typed while the shell was seen echoing on this line
//   (the last unpredicted key came back as itself), so a password prompt, which does not echo,
//   never shows a key;
// - only in the normal buffer (not vim, less, top), with the cursor before the last column and
//   nothing but default blank cells from the cursor to the end of the row, so "back n columns,
//   erase to the end of the line" restores the row;
// - only when every earlier write has been parsed (the parser is in its ground state, not inside an
//   escape sequence the shell split across two chunks);
// - any other key (Enter, Backspace, arrows, Ctrl-anything, a paste) ends the trust until a key
//   comes back as itself again; so does output that is not just the echo.

/** The part of xterm's Terminal (browser or headless) this needs. */
export interface EchoTerminal {
  readonly cols: number;
  readonly buffer: {
    readonly active: {
      readonly type: 'normal' | 'alternate';
      readonly cursorX: number;
      readonly cursorY: number;
      readonly baseY: number;
      getLine(y: number): { getCell(x: number): { getChars(): string; isBgDefault(): boolean } | undefined } | undefined;
    };
  };
  write(data: string | Uint8Array, callback?: () => void): void;
}

/** A prediction not confirmed by the shell in this long is taken back (the shell stopped echoing). */
const giveUpMs = 1000;

const undo = (n: number) => `\x1b[${n}D\x1b[K`;
const isTyped = (data: string) => data.length === 1 && data >= ' ' && data <= '~';
const codeAt = (data: string | Uint8Array, i: number) => (typeof data === 'string' ? data.charCodeAt(i) : data[i]);

export class LocalEcho {
  /** Sent and drawn here, not yet echoed by the shell (oldest first). */
  private predicted = '';
  /** The last key sent without a prediction, while we wait to see whether it comes back as itself. */
  private probe: string | undefined;
  private echoing = false;
  private writesInFlight = 0;
  /** Bumped by every input and output: trust from a parse callback holds only if nothing came between. */
  private epoch = 0;
  private giveUp: ReturnType<typeof setTimeout> | undefined;
  /** How many keys were drawn here before the shell's echo. */
  predictedKeys = 0;

  constructor(
    private readonly term: EchoTerminal,
    private enabled = true,
  ) {}

  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.takeBack();
  }

  /** Called with every piece of input on its way to the shell. */
  input(data: string): void {
    this.epoch += 1;
    if (!isTyped(data)) {
      this.echoing = false;
      this.probe = undefined;
      return;
    }
    if (this.enabled && this.echoing && this.canDrawAtCursor()) {
      this.predicted += data;
      this.predictedKeys += 1;
      this.track(data);
      this.giveUp ??= setTimeout(() => this.takeBack(), giveUpMs);
      return;
    }
    this.probe = data;
  }

  /** Writes the shell's output, taking back what was drawn here first. */
  output(data: string | Uint8Array, done: () => void): void {
    const epoch = ++this.epoch;
    if (!this.predicted && this.probe === undefined) {
      // Not an echo of a key: the parser may now be anywhere (a split escape sequence).
      this.echoing = false;
      this.track(data, done);
      return;
    }
    const probe = this.probe;
    this.probe = undefined;
    if (probe !== undefined && !this.predicted) {
      // Trust starts only when the key really landed on the screen as itself, after the parse.
      const exact = data.length === 1 && codeAt(data, 0) === probe.charCodeAt(0);
      this.echoing = false;
      this.track(data, () => {
        if (exact && epoch === this.epoch && this.lastPrinted() === probe) this.echoing = true;
        done();
      });
      return;
    }
    const shown = this.predicted.length;
    let matched = 0;
    while (matched < shown && matched < data.length && codeAt(data, matched) === this.predicted.charCodeAt(matched)) matched += 1;
    if (matched === data.length) {
      // All of it is the echo of the oldest keys drawn here: those cells and the cursor are already
      // what the echo would make them, so nothing is written (and nothing redrawn).
      this.predicted = this.predicted.slice(matched);
      if (!this.predicted) this.stopGiveUp();
      this.track('', done);
      return;
    }
    // Anything else (more output, or another character) ends the trust; what was drawn here is
    // taken back first, and the shell echoes the keys still on their way itself.
    this.echoing = false;
    this.predicted = '';
    this.stopGiveUp();
    this.track(typeof data === 'string' ? undo(shown) + data : concat(undo(shown), data), done);
  }

  /** The screen was cleared (a snapshot follows): nothing drawn here is on it any more. */
  reset(): void {
    this.predicted = '';
    this.probe = undefined;
    this.echoing = false;
    this.stopGiveUp();
  }

  /**
   * Takes back whatever is drawn here and ends the trust; `then` runs once the screen is the shell's
   * again (at once when nothing was drawn). Before a resize: a reflow would move the drawn keys where
   * "back n columns" no longer finds them.
   */
  takeBack(then?: () => void): void {
    this.stopGiveUp();
    this.echoing = false;
    if (!this.predicted) {
      then?.();
      return;
    }
    const shown = this.predicted.length;
    this.predicted = '';
    this.track(undo(shown), then);
  }

  private stopGiveUp(): void {
    if (this.giveUp) clearTimeout(this.giveUp);
    this.giveUp = undefined;
  }

  private track(data: string | Uint8Array, done?: () => void): void {
    this.writesInFlight += 1;
    this.term.write(data, () => {
      this.writesInFlight -= 1;
      done?.();
    });
  }

  private canDrawAtCursor(): boolean {
    if (this.writesInFlight > 0) return false;
    const b = this.term.buffer.active;
    if (b.type !== 'normal' || b.cursorX >= this.term.cols - 1) return false;
    const line = b.getLine(b.baseY + b.cursorY);
    if (!line) return false;
    for (let x = b.cursorX; x < this.term.cols; x++) {
      const cell = line.getCell(x);
      if (!cell || (cell.getChars() !== '' && cell.getChars() !== ' ') || !cell.isBgDefault()) return false;
    }
    // The erase that takes a prediction back paints with the current background; the character
    // before the cursor is the best sign of it.
    const before = b.cursorX > 0 ? line.getCell(b.cursorX - 1) : undefined;
    return !before || before.isBgDefault();
  }

  private lastPrinted(): string | undefined {
    const b = this.term.buffer.active;
    if (b.cursorX === 0) return undefined;
    return b.getLine(b.baseY + b.cursorY)?.getCell(b.cursorX - 1)?.getChars();
  }
}

function concat(head: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + data.length);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  out.set(data, head.length);
  return out;
}
