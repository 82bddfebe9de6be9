import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  AGING_BUCKETS,
  DUE_SOON_DAYS,
  type DueSoonDays,
  filtersSchema,
  pageParam,
  pageSizeParam,
  isoDate,
  queryId,
  TASK_STATUSES,
  TASK_TRACKS,
  UNIT_CATEGORIES,
  INSPECTION_MODES,
} from '../../common/filters';

/** The due-soon windows a task list may ask for, as query values. */
const DUE_SOON_CHOICES = DUE_SOON_DAYS.map(String) as unknown as readonly [`${DueSoonDays}`, ...`${DueSoonDays}`[]];
const bool = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');
const page = pageParam;
const pageSize = pageSizeParam;
const STATUS_MESSAGE = `must list statuses among ${TASK_STATUSES.join(', ')}, separated by commas`;
const statusList = z
  .string(STATUS_MESSAGE)
  .refine((v) => v.split(',').every((s) => (TASK_STATUSES as readonly string[]).includes(s)), STATUS_MESSAGE)
  .transform((v) => v.split(',') as (typeof TASK_STATUSES)[number][]);

/** The early-warning ladder (三色预警), from the least to the most urgent. */
export const WARNING_LEVELS = ['yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const TASK_SORTS = [
  'id',
  '-id',
  'dueDate',
  '-dueDate',
  'daysOverdue',
  '-daysOverdue',
  'originalDueDate',
  '-originalDueDate',
  'closedDate',
  '-closedDate',
] as const;
export const RECURRENCE_MEMBERS = ['reinspection', 'repeat', 'closedReinspected', 'rebound'] as const;
export const FINDING_SORTS = ['id', '-id', 'foundDate', '-foundDate', 'feedbackDate', '-feedbackDate'] as const;

export const taskListQuerySchema = filtersSchema
  .extend({
    status: statusList.optional(),
    closed: bool.optional(),
    overdue: bool.optional(),
    agingBucket: z.enum(AGING_BUCKETS, `must be one of ${AGING_BUCKETS.join(', ')}`).optional(),
    dueSoon: z
      .enum(DUE_SOON_CHOICES, `must be ${DUE_SOON_CHOICES.join(' or ')}`)
      .transform((v) => Number(v) as DueSoonDays)
      .optional(),
    /** 预警 level on the ladder (WARNING_YELLOW_DAYS, WARNING_ORANGE_DAYS; red = overdue) */
    warning: z.enum(WARNING_LEVELS, `must be one of ${WARNING_LEVELS.join(', ')}`).optional(),
    extended: bool.optional(),
    /** with (true) or without (false: 长期坚持) an original due date: the on-time rate counts only the former */
    originalDue: bool.optional(),
    immediate: bool.optional(),
    /** 搜索: a task number, or part of a unit's name, the responsible person or department */
    q: z.string('must be text').trim().min(1, 'must not be blank').max(64, 'must be at most 64 characters').optional(),
    sort: z.enum(TASK_SORTS, `must be one of ${TASK_SORTS.join(', ')}`).default('id'),
    page: page.default(1),
    pageSize: pageSize.default(20),
  })
  .strict();
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;
export class TaskListQueryDto extends createZodDto(taskListQuerySchema) {}

export const findingListQuerySchema = filtersSchema
  .extend({
    /** only findings fed back by as-of (what closure counts) */
    fedBack: bool.optional(),
    /** rectified (every task 已销号) or not, as of as-of */
    closed: bool.optional(),
    immediate: bool.optional(),
    /**
     * only the findings a recurrence figure counts (复发 drill): `reinspection` and `repeat`
     * (findings of re-inspections, and those repeating a category), `closedReinspected` and
     * `rebound` (closed findings whose unit was inspected again, and those a later finding
     * names as its recurrence)
     */
    recurrence: z.enum(RECURRENCE_MEMBERS, `must be one of ${RECURRENCE_MEMBERS.join(', ')}`).optional(),
    /** only one unit's findings (a unit's heatmap cell) */
    unitId: queryId.optional(),
    sort: z.enum(FINDING_SORTS, `must be one of ${FINDING_SORTS.join(', ')}`).default('id'),
    page: page.default(1),
    pageSize: pageSize.default(20),
  })
  .strict();
export type FindingListQuery = z.infer<typeof findingListQuerySchema>;
export class FindingListQueryDto extends createZodDto(findingListQuerySchema) {}

export class TaskIdParamDto extends createZodDto(z.object({ id: queryId }).strict()) {}

const unitCategory = z.enum(UNIT_CATEGORIES);

export const taskRowSchema = z.object({
  id: z.number().int(),
  findingId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  unitCategory,
  regionId: z.number().int(),
  countyId: z.number().int(),
  countyName: z.string(),
  categoryId: z.number().int(),
  categoryName: z.string(),
  category1Id: z.number().int(),
  mode: z.enum(INSPECTION_MODES),
  track: z.enum(TASK_TRACKS),
  measure: z.string(),
  responsibleDept: z.string(),
  responsiblePerson: z.string(),
  /** as of the as-of day */
  status: z.enum(TASK_STATUSES),
  originalDueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  closedDate: z.string().nullable(),
  feedbackDate: z.string().nullable(),
  extended: z.boolean(),
  /** days past the due date when overdue as of the as-of day, else 0 */
  daysOverdue: z.number().int(),
  agingBucket: z.enum(AGING_BUCKETS).nullable(),
});
export class TaskPageDto extends createZodDto(
  z.object({ asOf: z.string(), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(taskRowSchema) }),
) {}

export const findingRowSchema = z.object({
  id: z.number().int(),
  inspectionId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  unitCategory,
  countyId: z.number().int(),
  countyName: z.string(),
  categoryId: z.number().int(),
  categoryName: z.string(),
  category1Id: z.number().int(),
  mode: z.enum(INSPECTION_MODES),
  roundId: z.number().int(),
  description: z.string(),
  isImmediate: z.boolean(),
  foundDate: z.string(),
  feedbackDate: z.string().nullable(),
  tasks: z.number().int(),
  tasksClosed: z.number().int(),
  closed: z.boolean(),
  closureDate: z.string().nullable(),
});
export class FindingPageDto extends createZodDto(
  z.object({ asOf: z.string(), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(findingRowSchema) }),
) {}

const eventSchema = z.object({
  id: z.number().int(),
  type: z.enum(['CREATED', 'STATUS_CHANGE', 'EXTENSION', 'PROGRESS_NOTE', 'ESCALATION']),
  eventDate: z.string(),
  fromStatus: z.enum(TASK_STATUSES).nullable(),
  toStatus: z.enum(TASK_STATUSES).nullable(),
  newDueDate: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string().nullable().describe('the username that wrote the event'),
  actorName: z.string().nullable().describe('that account’s name (姓名); null when the actor is no account'),
  occurredAt: z.string(),
  /** 补录: recorded after the day it took effect, and why. */
  backdated: z.boolean(),
  backdateReason: z.string().nullable(),
});

export class TaskDetailDto extends createZodDto(
  z.object({
    task: z.object({
      id: z.number().int(),
      measure: z.string(),
      responsibleDept: z.string(),
      responsiblePerson: z.string(),
      track: z.enum(TASK_TRACKS),
      status: z.enum(TASK_STATUSES),
      originalDueDate: z.string().nullable(),
      currentDueDate: z.string().nullable(),
      closedDate: z.string().nullable(),
      /** The statuses the plain status route (POST /api/tasks/:id/status) accepts next; the closure review makes the others. */
      nextStatuses: z.array(z.enum(TASK_STATUSES)),
      /** Whether 申请销号 (POST /api/tasks/:id/closure-requests) is open to the task now. */
      mayApplyForClosure: z.boolean(),
    }),
    finding: z.object({
      id: z.number().int(),
      description: z.string(),
      categoryId: z.number().int(),
      categoryCode: z.string(),
      categoryName: z.string(),
      isImmediate: z.boolean(),
      isKeyConcern: z.boolean(),
      foundDate: z.string(),
      recurrenceOfId: z.number().int().nullable(),
    }),
    inspection: z.object({
      id: z.number().int(),
      roundId: z.number().int(),
      roundName: z.string(),
      team: z.string(),
      mode: z.enum(INSPECTION_MODES),
      stationedFrom: z.string(),
      stationedTo: z.string().nullable(),
      feedbackDate: z.string().nullable(),
    }),
    unit: z.object({ id: z.number().int(), code: z.string(), name: z.string(), category: unitCategory, regionId: z.number().int(), regionName: z.string() }),
    events: z.array(eventSchema),
  }),
) {}

export { isoDate };
