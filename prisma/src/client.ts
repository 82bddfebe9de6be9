import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export * from './generated/prisma/enums';

/** Models whose records are never hard-deleted: a delete sets deleted_at. */
const SOFT_DELETE_MODELS = new Set([
  'Region',
  'Term',
  'OrgUnit',
  'Round',
  'Inspection',
  'IssueCategory',
  'Finding',
  'RectificationTask',
  'TaskEvent',
  'Clue',
  'User',
]);

/**
 * Creates the Prisma client over the pg driver adapter. On case-record models, `delete`
 * and `deleteMany` become soft deletes: the row stays, `deleted_at` is set, and the
 * change-capture trigger gives it a new change sequence so that the ETL carries the
 * deletion into ClickHouse.
 */
export function createPrismaClient(url: string) {
  const base = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, options: '-c TimeZone=UTC' }) });
  return base.$extends({
    name: 'soft-delete',
    query: {
      $allModels: {
        async delete({ model, args }) {
          if (!SOFT_DELETE_MODELS.has(model)) return delegate(base, model).delete(args);
          return delegate(base, model).update({ where: args.where, data: { deletedAt: new Date() } });
        },
        async deleteMany({ model, args }) {
          if (!SOFT_DELETE_MODELS.has(model)) return delegate(base, model).deleteMany(args);
          return delegate(base, model).updateMany({ where: { ...(args.where ?? {}), deletedAt: null }, data: { deletedAt: new Date() } });
        },
      },
    },
  });
}

export type Db = ReturnType<typeof createPrismaClient>;

type Delegate = {
  delete(args: unknown): Promise<unknown>;
  deleteMany(args: unknown): Promise<unknown>;
  update(args: unknown): Promise<unknown>;
  updateMany(args: unknown): Promise<unknown>;
};

function delegate(client: object, model: string): Delegate {
  return (client as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)];
}
