/**
 * Where the pipeline writes: the warehouse, behind a small interface. A sink throws on
 * failure (the runner retries, then fails the run without moving the watermark); each
 * call is one INSERT, never a row per call.
 */
export interface Sink {
  /** Inserts TabSeparated lines whose fields are `columns`, in order. */
  insertTsv(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
  /** Empties a table (a full rebuild). */
  truncate(table: string): Promise<void>;
  /**
   * Refreshes what the warehouse derives from the loaded tables (each task's state between
   * its events) for the tasks a run loaded — every task after a full load. Called once the
   * batches are in and before the watermark moves, so a run that dies here is redone.
   */
  refreshDerived?(tasks: { all: true } | { taskIds: readonly bigint[] }): Promise<void>;
}
