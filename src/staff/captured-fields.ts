import { z } from 'zod';
import { DialogState } from '../dialogs/state.js';
import { parseIdNumber } from '../dialogs/understand/id-number.js';
import type { LoadedDirectory } from '../directory/store.js';
import { AppError } from '../errors.js';
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';
import type { StaffPrincipal } from './principal.js';
import { requireHolding, type DialogStateDeps } from './conversation-hold.js';
import { readState, saveStaffState } from '../intake/conversation-store.js';
import { withConversationLock } from '../intake/lock.js';
import { recordStaffAction } from './staff-action.js';

/**
 * Free text is shown with its ID and phone numbers masked, and the edit form is filled from that view: a value sent
 * back exactly as it was shown is the one kept, not the masked text over the resident's words.
 */
function asShown(edit: string | undefined, current: string | undefined): string | undefined {
  return edit !== undefined && current !== undefined && edit === maskPersonalNumbers(current).trim() ? current : edit;
}

/** A form leaves a field empty to keep it as it is. */
const kept = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const FieldEdits = z
  .object({
    name: kept(z.string().trim().max(50)),
    idNumber: kept(z.string()),
    householdSize: kept(z.coerce.number().int().min(1, '家庭人口至少1人').max(30, '家庭人口最多30人')),
    townshipCode: kept(z.string()),
    villageCode: kept(z.string()),
    address: kept(z.string().trim().max(200)),
    phone: kept(z.string().transform((p) => p.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '')).pipe(z.string().regex(/^\d{5,15}$/, '电话号码应为5–15位数字'))),
    reason: kept(z.string().trim().max(1000)),
    what: kept(z.string().trim().max(1000)),
    affected: kept(z.string().trim().max(500)),
    dangerNow: kept(z.enum(['yes', 'no'])),
  })
  .strict();
export type FieldEdits = z.input<typeof FieldEdits>;

function invalid(message: string): AppError {
  return new AppError('fields_invalid', `${message} / Correct the field and save again`, 400);
}

function checkPlace(directory: LoadedDirectory, townshipCode: string | undefined, villageCode: string | undefined): void {
  if (!townshipCode) {
    if (villageCode) throw invalid('请先选择镇街，再选村居');
    return;
  }
  const t = directory.directory.townships.find((x) => x.code === townshipCode);
  if (!t) throw invalid(`没有编码为 ${townshipCode} 的镇街`);
  if (villageCode && !t.villages.some((v) => v.code === villageCode)) throw invalid(`${t.name}没有编码为 ${villageCode} 的村居`);
}

/**
 * A duty officer corrects or completes what the bot captured, while holding the conversation. The place goes to the
 * emergency report when the conversation was one, else to the application form. The result is validated as a whole
 * dialog state, so the bot can carry on from it when the conversation is handed back.
 */
export async function editCapturedFields(
  deps: DialogStateDeps & { directory: LoadedDirectory },
  staff: StaffPrincipal,
  conversationId: string,
  edits: FieldEdits,
  now: Date,
): Promise<DialogState> {
  const parsed = FieldEdits.safeParse(edits);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；'));
  const e = parsed.data;
  let idNumber: string | undefined;
  if (e.idNumber !== undefined) {
    const id = parseIdNumber(e.idNumber);
    if (!id.ok) throw invalid(`身份证号有误：${id.message}`);
    idNumber = id.value;
  }
  await requireHolding(deps, staff, conversationId);
  return withConversationLock(deps.redis, deps.config.redis.prefix, conversationId, async () => {
    const state = await readState(deps, conversationId);
    if (!state) throw new AppError('no_dialog_state', '该对话还没有可编辑的记录 / The bot has captured nothing in this conversation yet', 409);
    const emergency = state.flow === 'emergency' || state.heldFlow === 'emergency';
    const place = emergency ? state.emergency : state.slots;
    const townshipCode = e.townshipCode ?? place.townshipCode;
    const villageCode = e.townshipCode && e.townshipCode !== place.townshipCode ? e.villageCode : (e.villageCode ?? place.villageCode);
    checkPlace(deps.directory, townshipCode, villageCode);
    const placeFields = { townshipCode, villageCode, address: asShown(e.address, place.address) ?? place.address };
    e.reason = asShown(e.reason, state.slots.reason);
    e.what = asShown(e.what, state.emergency.what);
    e.affected = asShown(e.affected, state.emergency.affected);
    const next = DialogState.safeParse({
      ...state,
      slots: {
        ...state.slots,
        ...(emergency ? {} : placeFields),
        ...(e.name !== undefined ? { name: e.name } : {}),
        ...(idNumber ? { idNumber } : {}),
        ...(e.householdSize !== undefined ? { householdSize: e.householdSize } : {}),
        ...(e.phone !== undefined ? { phone: e.phone } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
      },
      emergency: {
        ...state.emergency,
        ...(emergency ? placeFields : {}),
        ...(e.what !== undefined ? { what: e.what } : {}),
        ...(e.affected !== undefined ? { affected: e.affected } : {}),
        ...(e.dangerNow !== undefined ? { dangerNow: e.dangerNow === 'yes' } : {}),
      },
      updatedAt: now.toISOString(),
    });
    if (!next.success) throw invalid(next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；'));
    await saveStaffState(deps, conversationId, next.data);
    const changed = Object.keys(e).filter((k) => e[k as keyof typeof e] !== undefined);
    // Only the names of the fields: the values are personal data and the state itself keeps them.
    await recordStaffAction(deps.db, staff, now, { action: 'conversation.fields_edited', entity: 'conversation', entityId: conversationId, after: { fields: changed } });
    return next.data;
  });
}
