import type { Page } from 'playwright-core';

/** Page object for the catalog and the lab page; selectors are data-test attributes only. */
export class LabPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async openCatalog(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.locator('[data-test^="module-"]').first().waitFor();
  }

  async firstLabId(): Promise<string> {
    await this.openCatalog();
    const id = await this.page.locator('[data-test^="lab-card-"]').first().getAttribute('data-test');
    return (id ?? '').replace('lab-card-', '');
  }

  async open(labId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/labs/${labId}`);
    await this.page.locator('[data-test="lesson"]').waitFor();
  }

  terminalState() {
    return this.page.locator('[data-test="terminal-state"]');
  }

  /** The terminal's visible text, read from xterm's buffer (not pixels). */
  async screenText(): Promise<string> {
    return this.page.evaluate(() => {
      type Buffer = { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined };
      const term = (window as unknown as { __workshopTerminal?: { buffer: { active: Buffer } } }).__workshopTerminal;
      if (!term) return '';
      const b = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
      return lines.join('\n').trimEnd();
    });
  }

  async waitForText(pattern: RegExp | string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.screenText();
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`terminal never showed ${String(pattern)}; screen was:\n${text}`);
  }

  async waitForPrompt(): Promise<void> {
    await this.page.locator('[data-test="terminal-state"]', { hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await this.waitForText(/\$ ?$/m, 30_000);
  }

  /** Types into the terminal as a learner would (keyboard events into the focused xterm). */
  async type(text: string): Promise<void> {
    await this.page.locator('[data-test="terminal"] .xterm-helper-textarea').focus();
    await this.page.keyboard.type(text);
  }
}
