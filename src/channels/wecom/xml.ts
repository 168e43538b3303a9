import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { WecomXmlError } from './errors.js';

/** WeCom callbacks are a few hundred bytes; anything near this is not WeCom. */
export const MAX_XML_BYTES = 64 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep MsgId/CreateTime as strings: MsgId is a 64-bit integer that a JS number would corrupt.
  parseTagValue: false,
  trimValues: false,
  // Only the five predefined entities remain possible, because DOCTYPE is refused before parsing.
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 16,
});

/** CDATA and comments may legitimately contain "<!DOCTYPE" as text; only markup counts. */
const NOT_MARKUP = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;
const DTD = /<!(DOCTYPE|ENTITY)/i;

/** Parses WeCom's `<xml>…</xml>` and returns the root's children; refuses DTDs outright. */
function parseRoot(xml: string): Record<string, unknown> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) {
    throw new WecomXmlError('too_large', `WeCom XML is larger than ${MAX_XML_BYTES} bytes`);
  }
  // A DTD is how entity bombs and external entities get in; WeCom never sends one.
  if (DTD.test(xml.replace(NOT_MARKUP, ''))) {
    throw new WecomXmlError('doctype', 'WeCom XML must not contain a DOCTYPE or ENTITY declaration');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new WecomXmlError('malformed', `WeCom XML is malformed at line ${valid.err.line}: ${valid.err.msg}`);
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new WecomXmlError('malformed', `WeCom XML cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = (doc as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new WecomXmlError('shape', 'WeCom XML must have a single <xml> root element with child elements');
  }
  return root as Record<string, unknown>;
}

function validate<T extends z.ZodType>(schema: T, root: Record<string, unknown>, what: string): z.infer<T> {
  const result = schema.safeParse(root);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(root)'))];
  throw new WecomXmlError('shape', `WeCom ${what} has missing or malformed fields: ${fields.join(', ')}`, { fields });
}

const text = z.string().min(1).max(256);
const digits = z.string().regex(/^\d{1,20}$/);
const unixTime = digits.transform(Number);

/** The encrypted POST body. AgentID is absent or empty for customer-service callbacks. */
export const WecomEnvelope = z.object({
  ToUserName: text,
  Encrypt: z.string().min(1),
  AgentID: z.string().optional(),
});
export type WecomEnvelope = z.infer<typeof WecomEnvelope>;

export function parseEnvelope(body: string): WecomEnvelope {
  return validate(WecomEnvelope, parseRoot(body), 'callback envelope');
}

export const WecomAppText = z.object({
  ToUserName: text,
  FromUserName: text,
  CreateTime: unixTime,
  MsgType: z.literal('text'),
  Content: z.string().max(4000).default(''),
  MsgId: text,
  AgentID: digits,
});
export type WecomAppText = z.infer<typeof WecomAppText>;

export const APP_MEDIA_TYPES = ['image', 'voice', 'video'] as const;

/** Media a member sent to the app: kept for staff, not understood. */
export const WecomAppMedia = z.object({
  ToUserName: text,
  FromUserName: text,
  CreateTime: unixTime,
  MsgType: z.enum(APP_MEDIA_TYPES),
  MediaId: text,
  PicUrl: z.string().optional(),
  MsgId: text,
  AgentID: digits,
});
export type WecomAppMedia = z.infer<typeof WecomAppMedia>;

/** "The customer-service account has news": the messages themselves are fetched with kf/sync_msg. */
export const WecomKfEvent = z.object({
  ToUserName: text,
  CreateTime: unixTime,
  MsgType: z.literal('event'),
  Event: z.literal('kf_msg_or_event'),
  Token: text,
  OpenKfId: text,
});
export type WecomKfEvent = z.infer<typeof WecomKfEvent>;

/** Locations, links and app events other than customer service: acknowledged, not handled. */
export const WecomUnsupported = z.object({
  ToUserName: text,
  CreateTime: unixTime,
  MsgType: text,
  Event: z.string().optional(),
  FromUserName: z.string().optional(),
  MsgId: z.string().optional(),
  AgentID: z.string().optional(),
});
export type WecomUnsupported = z.infer<typeof WecomUnsupported>;

export type WecomMessage =
  | ({ kind: 'text' } & WecomAppText)
  | ({ kind: 'media' } & WecomAppMedia)
  | ({ kind: 'kf_event' } & WecomKfEvent)
  | ({ kind: 'unsupported' } & WecomUnsupported);

/** Parses decrypted message XML into the variant the caller must handle. */
export function parseMessage(xml: string): WecomMessage {
  const root = parseRoot(xml);
  const type = root.MsgType;
  if (type === 'text') return { kind: 'text', ...validate(WecomAppText, root, 'text message') };
  if ((APP_MEDIA_TYPES as readonly unknown[]).includes(type)) {
    return { kind: 'media', ...validate(WecomAppMedia, root, `${String(type)} message`) };
  }
  if (type === 'event' && root.Event === 'kf_msg_or_event') {
    return { kind: 'kf_event', ...validate(WecomKfEvent, root, 'customer-service event') };
  }
  return { kind: 'unsupported', ...validate(WecomUnsupported, root, 'message') };
}
