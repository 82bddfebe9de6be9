/**
 * Statements of one process against its warehouse, and the full load's table exchange, kept
 * apart: any number of statements run at once (shared), the exchange runs alone (exclusive),
 * after the statements under way and before those that come later. A statement then reads
 * every table before the exchange or every table after it, never some of each (the engine
 * exchanges the tables one after the other, and a statement resolves its tables as it goes).
 * Statements are never held back by an exchange that only waits: they keep their order and
 * the exchange goes as soon as none is under way.
 */
export class SwapGate {
  private running = 0;
  private exclusiveHeld = false;
  private readonly waitingShared: (() => void)[] = [];
  private readonly waitingExclusive: (() => void)[] = [];

  async shared<T>(work: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld) await new Promise<void>((resolve) => this.waitingShared.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.next();
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld || this.running > 0) await new Promise<void>((resolve) => this.waitingExclusive.push(resolve));
    else this.exclusiveHeld = true;
    try {
      return await work();
    } finally {
      this.exclusiveHeld = false;
      this.next();
    }
  }

  private next(): void {
    if (this.exclusiveHeld) return;
    if (this.running === 0 && this.waitingExclusive.length > 0) {
      this.exclusiveHeld = true;
      this.waitingExclusive.shift()!();
      return;
    }
    for (const resolve of this.waitingShared.splice(0)) resolve();
  }
}
