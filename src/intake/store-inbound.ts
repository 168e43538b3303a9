import type { Db } from '../db/client.js';
import type { InboundMessage } from '../domain/messages.js';
import { Prisma } from '../generated/prisma/client.js';

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
