import type { Db } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { Prisma } from '../generated/prisma/client.js';

const NUL = /\u0000/g;

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replace(NUL, '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)]));
  }
  return value;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a message carrying one would
 * fail to store every time, look like a database outage, and sit in the spool
 * for ever. The character means nothing in a resident's message, so it is dropped
 * (in the text, the ids and the raw payload) before anything else happens.
 */
export function storable(msg: InboundMessage): InboundMessage {
  return withoutNul(msg) as InboundMessage;
}

/**
 * Stores an inbound message before anything else happens. The unique key
 * (channel, direction, providerId) makes a provider's repeated delivery a
 * duplicate: exactly one row, and only the first delivery goes on to a dialog step.
 */
export async function storeInbound(db: Db, msg: InboundMessage): Promise<{ id: string; duplicate: boolean }> {
  try {
    const row = await db.message.create({
      data: {
        channel: msg.channel,
        direction: 'inbound',
        providerId: msg.providerId,
        sender: msg.sender,
        recipient: msg.recipient,
        text: msg.text,
        digits: msg.digits ?? null,
        speechConfidence: msg.speechConfidence ?? null,
        media: msg.media,
        raw: msg.raw as Prisma.InputJsonValue,
        status: 'received',
        receivedAt: msg.receivedAt,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await db.message.findUniqueOrThrow({
        where: { channel_direction_providerId: { channel: msg.channel, direction: 'inbound', providerId: msg.providerId } },
        select: { id: true },
      });
      return { id: existing.id, duplicate: true };
    }
    throw err;
  }
}
