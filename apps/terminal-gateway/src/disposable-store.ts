// Everything the gateway holds open (servers, timers, sessions) registered in one place and released
// together, in reverse order of registration (xterm.js' DisposableStore, async here).

export type Disposer = () => void | Promise<void>;

export class DisposableStore {
  private readonly disposers: Disposer[] = [];
  private disposed = false;

  /** Registers `disposer`; after `dispose()` it runs at once instead. Returns it for chaining. */
  add(disposer: Disposer): Disposer {
    if (this.disposed) void disposer();
    else this.disposers.push(disposer);
    return disposer;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Runs every disposer, last registered first; one that throws does not stop the others. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const disposer of this.disposers.splice(0).reverse()) {
      try {
        await disposer();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'some resources could not be released');
  }
}
