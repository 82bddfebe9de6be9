/**
 * Where the pipeline writes: the warehouse, behind a small interface. A sink throws on
 * failure (the runner retries, then fails the run without moving the watermark); each
 * call is one INSERT, never a row per call.
 */
export interface Sink {
  /**
   * Called when a run starts: `readsAll` when it reads every record (a full run, or the
   * first), so that its end rebuilds every derived table.
   */
  begin?(readsAll: boolean): void;
  /** Inserts TabSeparated lines whose fields are `columns`, in order. */
  insertTsv(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
  /** Empties a table (a full rebuild). */
  truncate(table: string): Promise<void>;
  /**
   * Refreshes what the warehouse derives from the loaded tables (each task's state between
   * its events, the current-state summary of the findings) for what a run loaded — all of it
   * after a run that read everything. Called once the batches are in and before the
   * watermark moves, so a run that dies here is redone.
   */
  refreshDerived?(tasks: { all: true } | { taskIds: readonly bigint[] }): Promise<void>;
}
