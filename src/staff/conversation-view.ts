import type { StaffDeps } from './ports.js';
import { FLOW_LABELS, STEP_LABELS } from '../dialogs/prompts.js';
import { maskAddress, maskIdNumber, maskPersonalNumbers, maskPhone } from '../privacy/personal-numbers.js';
import { notFound } from '../errors.js';
import type { StaffPrincipal } from './principal.js';
import { openInbound } from '../privacy/sealed-message.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { recordDisclosure, requireReason } from './personal-data.js';
import { conversationScope } from './scopes.js';

/** The transcript shows the most recent messages; a conversation longer than this is exceptional. */
const TRANSCRIPT_LIMIT = 200;

type ViewDeps = Pick<StaffDeps, 'db' | 'directory' | 'cipher'>;

function placeNames(deps: ViewDeps, townshipCode?: string, villageCode?: string) {
  const t = deps.directory.directory.townships.find((x) => x.code === townshipCode);
  return { township: t?.name ?? null, village: t?.villages.find((v) => v.code === villageCode)?.name ?? null };
}

/** What the bot has captured so far, read from the conversation's saved (sealed) dialog state. */
function capturedFields(deps: ViewDeps, stored: unknown, full: boolean) {
  const s = openDialogState(stored, deps.cipher);
  if (!s) return null;
  const phone = (p?: string) => (p ? (full ? p : maskPhone(p)) : null);
  /** The resident's own words (a reason, an address): numbers in them masked unless shown in full. */
  const words = (t?: string) => (t ? (full ? t : maskPersonalNumbers(t)) : null);
  const e = s.emergency;
  return {
    flow: s.flow,
    flowLabel: FLOW_LABELS[s.flow],
    step: s.step ?? null,
    stepLabel: s.step ? STEP_LABELS[s.step] : null,
    heldFlow: s.heldFlow ?? null,
    trackingNumber: s.trackingNumber ?? null,
    applicant: {
      name: s.slots.name ?? null,
      idNumber: s.slots.idNumber ? (full ? s.slots.idNumber : maskIdNumber(s.slots.idNumber)) : null,
      householdSize: s.slots.householdSize ?? null,
      townshipCode: s.slots.townshipCode ?? null,
      villageCode: s.slots.villageCode ?? null,
      ...placeNames(deps, s.slots.townshipCode, s.slots.villageCode),
      address: words(s.slots.address),
      phone: phone(s.slots.phone),
      reason: words(s.slots.reason),
      relation: s.relation ?? null,
    },
    emergency: {
      what: words(e.what),
      ...placeNames(deps, e.townshipCode, e.villageCode),
      address: words(e.address),
      affected: words(e.affected),
      contact: words(e.contact),
      dangerNow: e.dangerNow ?? null,
      reporter: e.reporter ? { relation: e.reporter.relation ?? null, name: e.reporter.name ?? null, phone: phone(e.reporter.phone) } : null,
    },
    consent: s.consent ? { given: s.consent.given, at: s.consent.at } : null,
    skipped: s.skipped.map((step) => STEP_LABELS[step]),
    categories: s.categories,
  };
}

async function load(deps: ViewDeps, staff: StaffPrincipal, id: string, full: boolean) {
  const c = await deps.db.conversation.findFirst({
    where: { AND: [{ id }, conversationScope(staff)] },
    include: {
      identity: true,
      heldBy: { select: { id: true, name: true } },
      cases: { select: { trackingNumber: true, type: true, status: true, urgent: true }, orderBy: { createdAt: 'asc' } },
      dutyTasks: { where: { status: { not: 'done' } }, orderBy: { createdAt: 'desc' } },
      messages: { orderBy: { createdAt: 'desc' }, take: TRANSCRIPT_LIMIT },
    },
  });
  if (!c) throw notFound(`Conversation ${id}`);
  // Inbound text is stored with ID numbers masked; the full view opens the resident's own words, sealed beside it.
  // A voice turn answered on the keypad has no words: its keys are what the resident said.
  const said = (m: { text: string; digits: string | null }) => m.text || (m.digits ? `按键：${m.digits}` : '');
  // One message sealed under another DATA_KEY must not take the whole transcript down: it shows masked, and says why.
  const original = (m: (typeof c.messages)[number]) => {
    try {
      return openInbound(m, deps.cipher);
    } catch {
      return { text: `${maskPersonalNumbers(said(m))}（原文无法解密：与当前 DATA_KEY 不符）`, digits: null };
    }
  };
  const text = (m: (typeof c.messages)[number]) =>
    !full ? maskPersonalNumbers(said(m)) : said(m.direction === 'inbound' ? original(m) : m);
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    heldBy: c.heldBy,
    resident: full ? c.identity.address : maskAddress(c.identity.address),
    startedAt: c.startedAt.toISOString(),
    lastMessageAt: c.lastMessageAt.toISOString(),
    cases: c.cases,
    dutyTasks: c.dutyTasks.map((t) => ({ id: t.id, kind: t.kind, status: t.status, urgent: t.urgent, reason: full ? t.reason : maskPersonalNumbers(t.reason), createdAt: t.createdAt.toISOString() })),
    fields: capturedFields(deps, c.state, full),
    messages: c.messages.reverse().map((m) => {
      const raw = (m.raw ?? {}) as { purpose?: string; staffName?: string };
      return {
        id: m.id,
        at: (m.direction === 'inbound' ? m.receivedAt : m.createdAt).toISOString(),
        direction: m.direction,
        channel: m.channel,
        text: text(m),
        status: m.status,
        error: m.error ? maskPersonalNumbers(m.error) : null,
        /** Set on replies a staff member wrote (the rest are the bot's or the resident's). */
        staffName: raw.purpose === 'staff_reply' ? (raw.staffName ?? '工作人员') : null,
      };
    }),
  };
}

export type ConversationView = Awaited<ReturnType<typeof load>>;

/** A conversation as a duty officer sees it: transcript, captured fields, who holds it; personal data masked. */
export function readConversation(deps: ViewDeps, staff: StaffPrincipal, id: string): Promise<ConversationView> {
  return load(deps, staff, id, false);
}

/** The same, unmasked, for a stated reason; audited. */
export async function revealConversation(deps: ViewDeps, staff: StaffPrincipal, id: string, reason: string | undefined, now: Date): Promise<ConversationView> {
  const why = requireReason(reason);
  const view = await load(deps, staff, id, true);
  await recordDisclosure(deps.db, {
    staff,
    at: now,
    action: 'personal_data.viewed',
    entity: 'conversation',
    entityId: id,
    fields: ['transcript', 'idNumber', 'phone', 'contact'],
    reason: why,
  });
  return view;
}
