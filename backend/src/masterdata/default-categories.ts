import { createPrismaClient, CATEGORY_TREE } from '@xuncha/prisma';

/**
 * The issue-category tree of DESIGN.md ("Seed categories") for an office starting without
 * demo data: five level-1 categories and their level-2 ones, written once, when the table
 * holds no category at all (deleted ones included, so a tree the office has changed is never
 * refilled). The office renames, adds and deletes (unused ones) under 基础数据 → 问题分类.
 * Returns the number of categories written.
 */
export async function ensureDefaultCategories(databaseUrl: string): Promise<number> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`LOCK TABLE issue_categories IN EXCLUSIVE MODE`;
      if ((await tx.issueCategory.count()) > 0) return 0;
      let written = 0;
      for (const level1 of CATEGORY_TREE) {
        const parent = await tx.issueCategory.create({ data: { code: level1.code, name: level1.name, level: 1 }, select: { id: true } });
        await tx.issueCategory.createMany({ data: level1.children.map((c) => ({ code: c.code, name: c.name, level: 2, parentId: parent.id })) });
        written += 1 + level1.children.length;
      }
      return written;
    });
  } finally {
    await prisma.$disconnect();
  }
}
