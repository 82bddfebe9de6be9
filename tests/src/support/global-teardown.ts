import fs from 'node:fs';
import type { PostgresInstance } from '@xuncha/prisma';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__xunchaPg as { instance: PostgresInstance; root: string } | undefined;
  if (!state) return;
  await state.instance.stop();
  fs.rmSync(state.root, { recursive: true, force: true });
}
