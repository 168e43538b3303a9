import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, attributeNamePrefix: '@', isArray: (name) => ['Say', 'Message', 'Number'].includes(name) });

/** Parses TwiML for assertions: what is said, what is gathered, where the call goes next. */
export function readTwiml(xml: string) {
  const parsed = (parser.parse(xml) as { Response?: unknown }).Response;
  // An empty <Response/> parses to a string.
  const r: Record<string, any> = parsed && typeof parsed === 'object' ? (parsed as Record<string, any>) : {};
  const sayText = (says: any[] | undefined) => (says ?? []).map((s) => (typeof s === 'string' ? s : s['#text'])).join('');
  const gather = r.Gather as Record<string, any> | undefined;
  return {
    raw: r,
    messages: ((r.Message ?? []) as any[]).map((m) => (typeof m === 'string' ? m : m['#text'] ?? '')) as string[],
    said: sayText(r.Say) + (gather ? sayText(gather.Say) : ''),
    gather: gather ? { action: gather['@action'] as string, input: gather['@input'] as string, language: gather['@language'] as string, finishOnKey: gather['@finishOnKey'] as string | undefined } : undefined,
    dial: r.Dial ? { numbers: ((r.Dial.Number ?? []) as any[]).map(String), action: r.Dial['@action'] as string } : undefined,
    record: r.Record ? { action: r.Record['@action'] as string } : undefined,
    hangup: 'Hangup' in r,
  };
}
