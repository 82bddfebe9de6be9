import fs from 'node:fs';
import type { PostgresInstance } from '../../../prisma/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__xunchaPg as { instance: PostgresInstance; root: string } | undefined;
  if (!state) return;
  await state.instance.stop();
  fs.rmSync(state.root, { recursive: true, force: true });
}
