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
  /**
   * A full run starts: from here until publishFull, inserts and the derived rebuild go to
   * empty tables beside the live ones (`tables`, and the derived tables), which keep serving.
   * Repeatable: a second call starts over.
   */
  beginFull?(tables: readonly string[]): Promise<void>;
  /**
   * The full run is loaded: exchanges the loaded tables with the live ones, then marks the
   * warehouse changed. Without beginFull/publishFull the runner empties the live tables first.
   */
  publishFull?(): Promise<void>;
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
