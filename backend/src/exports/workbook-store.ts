import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Which workbook a file is, and what its content depends on. A quarter's workbook is
 * computed as of the quarter's last day: it stays right until something loaded changes
 * what that day's figures were (a backdated record or event, a correction, a renamed
 * region), which `version` names. Later work leaves it as it is.
 */
export interface WorkbookSlot {
  /** The quarter and the scope: `2026Q3-city`, `2026Q3-county12` (letters, digits, dashes). */
  name: string;
  /** A digest of everything the content depends on (hex). */
  version: string;
}

/** A made workbook, open for reading (the handle stays valid if the file is replaced meanwhile). */
export interface OpenWorkbook {
  handle: fs.promises.FileHandle;
  size: number;
  /** `kept`: made before this request; `made`: made for it (or while it waited). */
  source: 'kept' | 'made';
}

/** Writes a workbook to `output`; stops early with an error when `signal` aborts. */
export type MakeWorkbook = (output: Writable, signal?: AbortSignal) => Promise<void>;

const SLOT_NAME = /^[A-Za-z0-9-]+$/;
const VERSION = /^[0-9a-f]+$/;

/**
 * The quarterly workbooks made so far, as files in one folder (WORKBOOK_STORE_DIR): a
 * workbook asked for again, by anyone of the same scope, is served from its file while its
 * version holds, instead of being computed and written again (a minute and more at 10M
 * findings). One file per slot: making a new version removes the older ones. Requests for a
 * workbook being made wait for that one (one making per file at a time).
 *
 * Without a folder (`off`), every workbook is made for its request into a temporary file,
 * so that a failure while it is made is an error answer rather than a truncated download.
 */
export class WorkbookStore {
  private readonly making = new Map<string, Promise<void>>();

  constructor(readonly dir: string | null) {}

  /** The workbook of `slot`, kept or made now. */
  async open(slot: WorkbookSlot, make: MakeWorkbook): Promise<OpenWorkbook> {
    if (this.dir === null) return { ...(await this.makeTemporary(make)), source: 'made' };
    const file = this.fileOf(slot);
    const kept = await openIfThere(file);
    if (kept) return { ...kept, source: 'kept' };
    await this.ensure(slot, make);
    const made = await openIfThere(file);
    // replaced by a newer version between its making and this open: this request's own copy
    return made ? { ...made, source: 'made' } : { ...(await this.makeTemporary(make)), source: 'made' };
  }

  /** Makes the workbook of `slot` unless it is kept already; true when it was made. */
  async prepare(slot: WorkbookSlot, make: MakeWorkbook, signal?: AbortSignal): Promise<boolean> {
    if (this.dir === null || fs.existsSync(this.fileOf(slot))) return false;
    await this.ensure(slot, make, signal);
    return true;
  }

  /** Forgets every kept workbook (tests; an operator may also just empty the folder). */
  async clear(): Promise<void> {
    if (this.dir === null) return;
    for (const name of await fs.promises.readdir(this.dir).catch(() => [] as string[])) {
      if (name.endsWith('.xlsx')) await fs.promises.rm(path.join(this.dir, name), { force: true });
    }
  }

  private fileOf(slot: WorkbookSlot): string {
    if (!SLOT_NAME.test(slot.name) || !VERSION.test(slot.version)) throw new Error(`bad workbook slot ${slot.name}.${slot.version}`);
    return path.join(this.dir!, `${slot.name}.${slot.version}.xlsx`);
  }

  private ensure(slot: WorkbookSlot, make: MakeWorkbook, signal?: AbortSignal): Promise<void> {
    const file = this.fileOf(slot);
    let pending = this.making.get(file);
    if (!pending) {
      pending = this.makeKept(slot, file, make, signal).finally(() => this.making.delete(file));
      this.making.set(file, pending);
    }
    return pending;
  }

  /** Written beside its final name and renamed into place once whole: a reader never sees half a file. */
  private async makeKept(slot: WorkbookSlot, file: string, make: MakeWorkbook, signal?: AbortSignal): Promise<void> {
    await fs.promises.mkdir(this.dir!, { recursive: true });
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    try {
      await writeFile(partial, make, signal);
      await fs.promises.rename(partial, file);
    } catch (error) {
      await fs.promises.rm(partial, { force: true });
      throw error;
    }
    // the slot's older versions go, and parts an hour old (left by a process that died)
    for (const name of await fs.promises.readdir(this.dir!)) {
      const other = path.join(this.dir!, name);
      if (other === file || !name.startsWith(`${slot.name}.`)) continue;
      if (name.endsWith('.part')) {
        const stat = await fs.promises.stat(other).catch(() => null);
        if (!stat || Date.now() - stat.mtimeMs < 3_600_000) continue;
      }
      await fs.promises.rm(other, { force: true });
    }
  }

  private async makeTemporary(make: MakeWorkbook): Promise<Omit<OpenWorkbook, 'source'>> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'xuncha-export-'));
    try {
      const file = path.join(dir, 'export.xlsx');
      await writeFile(file, make);
      // unlinked below, open still: gone from the disk once the download ends
      return (await openIfThere(file))!;
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
}

async function writeFile(file: string, make: MakeWorkbook, signal?: AbortSignal): Promise<void> {
  const output = fs.createWriteStream(file);
  try {
    await make(output, signal);
    await finished(output);
  } catch (error) {
    output.destroy();
    throw error;
  }
}

async function openIfThere(file: string): Promise<Omit<OpenWorkbook, 'source'> | null> {
  try {
    const handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    return { handle, size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
