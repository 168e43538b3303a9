import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubPersonalData } from '../src/logging.js';

describe('log scrubbing', () => {
  it('masks ID numbers and phone numbers wherever they appear', () => {
    expect(scrubPersonalData('id 11010519491231002X ok')).toBe('id 110***********002X ok');
    expect(scrubPersonalData('{"from":"+8613800138000"}')).toBe('{"from":"138****8000"}');
    // A duration's decimals are no dotted number, and a line stays JSON when a number value is masked.
    const timed = '{"responseTime":1.1099819946289062,"time":1765137600123,"msg":"request completed"}';
    expect(scrubPersonalData(timed)).toBe(timed);
    expect(JSON.parse(scrubPersonalData('{"phone":13800138000,"n":3}'))).toEqual({ phone: '138****8000', n: 3 });
    expect(scrubPersonalData('call 138 0013 8000 now')).toBe('call 138****8000 now');
    expect(scrubPersonalData('order 12345 and year 2026')).toBe('order 12345 and year 2026');
  });

  it('applies to every line the logger writes', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('info', sink);
    log.info({ caller: '13800138000', nested: { text: '身份证440524188001010014' } }, 'from 13912345678');
    const all = lines.join('');
    expect(all).not.toMatch(/13800138000|440524188001010014|13912345678/);
    expect(all).toContain('440***********0014');
  });
});
