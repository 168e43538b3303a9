import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';

/**
 * A county directory: the one data file a county edits to run the hotline.
 * Every time limit and mapping is data, so another county needs no code change.
 */

const code = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'use lowercase letters, digits, _ or -');

/** A time limit: either working days (statutory calendar) or clock hours. */
export const Duration = z.union([
  z.object({ workingDays: z.number().int().positive() }).strict(),
  z.object({ hours: z.number().positive() }).strict(),
]);
export type Duration = z.infer<typeof Duration>;

export const Village = z
  .object({
    code,
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const Township = z
  .object({
    code,
    name: z.string().min(1),
    /** Loose forms residents use: "枣园", "银雀山". */
    aliases: z.array(z.string().min(1)).default([]),
    windowPhone: z.string().optional(),
    /** WeCom user ids of the township's social-assistance window staff. */
    wecomUserIds: z.array(z.string()).default([]),
    villages: z.array(Village).default([]),
  })
  .strict();

export const Agency = z
  .object({
    code,
    name: z.string().min(1),
    /** Categories this agency is responsible for (lead). */
    categories: z.array(CategoryCode).default([]),
    phone: z.string().optional(),
    wecomUserIds: z.array(z.string()).default([]),
    headWecomUserId: z.string().optional(),
  })
  .strict();

export const CategoryPolicy = z
  .object({
    code: CategoryCode,
    name: z.string().min(1),
    /** Applications are taken and investigated by the township first (低保, 特困, 临时救助). */
    townshipFirst: z.boolean().default(false),
    /** Review/approval limit for this category; falls back to timeLimits.approval. */
    approval: Duration.optional(),
  })
  .strict();

export const TimeLimits = z
  .object({
    transfer: Duration,
    sign: Duration,
    signUrgent: Duration,
    emergencyAidFirst: Duration,
    emergencyPaperwork: Duration,
    approval: Duration,
    followUp: Duration,
    /** Day of the next month by which units report handled applications. */
    monthlyReportDay: z.number().int().min(1).max(28),
  })
  .strict();

export const Escalation = z
  .object({
    /** Fraction of the allowed time after which the assignee is reminded. */
    reminderAt: z.number().gt(0).lt(1),
    /** Working days past the deadline before the county window supervises (督办). */
    superviseAfterWorkingDays: z.number().int().nonnegative(),
  })
  .strict();

/** Extra calendar data a county adds when the State Council publishes next year's holidays. */
export const CalendarOverrides = z
  .object({
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
    workdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  })
  .strict();

export const CountyDirectory = z
  .object({
    county: z
      .object({
        code,
        name: z.string().min(1),
        window: z
          .object({
            name: z.string().min(1),
            hotline: z.string().min(1),
            /** Agency hosting the county window (receives undetermined referrals). */
            agency: code,
            wecomUserIds: z.array(z.string()).default([]),
          })
          .strict(),
        /** Numbers dialled when a flagged call is handed to a duty officer. */
        dutyPhones: z.array(z.string()).default([]),
        timezone: z.string().default('Asia/Shanghai'),
      })
      .strict(),
    categories: z.array(CategoryPolicy).min(1),
    agencies: z.array(Agency).min(1),
    townships: z.array(Township).min(1),
    timeLimits: TimeLimits,
    escalation: Escalation,
    calendar: CalendarOverrides.default({ holidays: [], workdays: [] }),
  })
  .strict()
  .superRefine((dir, ctx) => {
    const dupes = (values: string[], path: (string | number)[], what: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `duplicate ${what} "${v}"` });
        seen.add(v);
      });
    };
    dupes(dir.agencies.map((a) => a.code), ['agencies'], 'agency code');
    dupes(dir.townships.map((t) => t.code), ['townships'], 'township code');
    dupes(dir.categories.map((c) => c.code), ['categories'], 'category code');
    dir.townships.forEach((t, ti) => dupes(t.villages.map((v) => v.code), ['townships', ti, 'villages'], 'village code'));

    const agencyCodes = new Set(dir.agencies.map((a) => a.code));
    if (!agencyCodes.has(dir.county.window.agency)) {
      ctx.addIssue({ code: 'custom', path: ['county', 'window', 'agency'], message: `unknown agency "${dir.county.window.agency}"` });
    }
    const owner = new Map<string, string>();
    dir.agencies.forEach((a, ai) =>
      a.categories.forEach((c, ci) => {
        const prev = owner.get(c);
        if (prev) ctx.addIssue({ code: 'custom', path: ['agencies', ai, 'categories', ci], message: `category "${c}" is already owned by agency "${prev}"` });
        owner.set(c, a.code);
      }),
    );
    dir.categories.forEach((c, i) => {
      if (!owner.has(c.code)) ctx.addIssue({ code: 'custom', path: ['categories', i], message: `no agency owns category "${c.code}"` });
    });
  });

export type CountyDirectory = z.infer<typeof CountyDirectory>;
export type Township = z.infer<typeof Township>;
export type Village = z.infer<typeof Village>;
export type Agency = z.infer<typeof Agency>;
export type TimeLimits = z.infer<typeof TimeLimits>;
