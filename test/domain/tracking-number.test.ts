import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { readTrackingNumber, trackingNumberIn } from '../../src/dialogs/answers.js';
import { compactTrackingNumber, DAILY_CAPACITY, dammDigit, spokenTrackingNumber, trackingNumberKind, trackingNumbers } from '../../src/domain/tracking-number.js';
import { maskPersonalNumbers } from '../../src/privacy/personal-numbers.js';

/**
 * Tracking numbers (src/domain/tracking-number.ts): YYMMDD + the day's counter through a keyed permutation + a Damm
 * check digit. Unique over a day's whole range, not guessable from the last one, a slip caught before any lookup, the
 * numbers issued before still read.
 */
const KEY = Buffer.alloc(32, 9);
const DAY = '20261122';
const issuer = trackingNumbers(KEY);
const dayNumbers = Array.from({ length: DAILY_CAPACITY }, (_, i) => issuer.issue(DAY, i + 1));
const counterPart = (n: string) => Number(n.slice(6, 11));

describe('issuing', () => {
  it('a day\'s whole counter range (100,000) gives 100,000 distinct 12-digit numbers, each dated and checking out', () => {
    expect(DAILY_CAPACITY).toBe(100_000);
    expect(new Set(dayNumbers).size).toBe(DAILY_CAPACITY);
    expect(dayNumbers.every((n) => /^261122\d{6}$/.test(n) && trackingNumberKind(n) === 'current')).toBe(true);
    // The counter behind a number is recovered with the key (staff's reading of it).
    for (const v of [1, 2, 777, 99_999, 100_000]) expect(issuer.sequenceOf(issuer.issue(DAY, v))).toBe(v);
  });

  it('consecutive cases do not get consecutive numbers', () => {
    const steps = dayNumbers.slice(1).map((n, i) => counterPart(n) - counterPart(dayNumbers[i]!));
    // The first 1,000 cases of the day: no two in a row are neighbours, and the steps between them are all over.
    expect(steps.slice(0, 1000).filter((d) => Math.abs(d) === 1)).toEqual([]);
    expect(new Set(steps.slice(0, 1000)).size).toBeGreaterThan(990);
    // Over the whole day, neighbours in a row are as rare as chance makes them (about 2 in 100,000).
    expect(steps.filter((d) => Math.abs(d) === 1).length).toBeLessThan(20);
  });

  it('another key, or another day, gives other numbers; the same key the same ones', () => {
    const other = trackingNumbers(randomBytes(32));
    const firsts = Array.from({ length: 50 }, (_, i) => i + 1);
    const same = firsts.filter((v) => other.issue(DAY, v) === issuer.issue(DAY, v));
    expect(same.length).toBeLessThan(3);
    const tomorrow = firsts.filter((v) => counterPart(issuer.issue('20261123', v)) === counterPart(issuer.issue(DAY, v)));
    expect(tomorrow.length).toBeLessThan(3);
    expect(trackingNumbers(Buffer.alloc(32, 9)).issue(DAY, 5)).toBe(issuer.issue(DAY, 5));
  });

  it('a day beyond its capacity is refused, never wrapped round', () => {
    expect(() => issuer.issue(DAY, DAILY_CAPACITY + 1)).toThrow(RangeError);
    expect(() => issuer.issue(DAY, 0)).toThrow(RangeError);
  });
});

describe('the check digit', () => {
  const sample = dayNumbers.filter((_, i) => i % 400 === 0);

  it('every single wrong digit is rejected: never read as a number, and pointed out as a slip unless the date is none', () => {
    let slips = 0;
    let typos = 0;
    for (const n of sample) {
      for (let pos = 0; pos < n.length; pos++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === n[pos]) continue;
          const typo = `${n.slice(0, pos)}${d}${n.slice(pos + 1)}`;
          const kind = trackingNumberKind(typo);
          expect(kind === 'current' || kind === 'legacy', typo).toBe(false);
          expect(trackingNumberIn(typo), typo).toBeUndefined();
          typos += 1;
          if (readTrackingNumber(typo)?.kind === 'mistyped') slips += 1;
          // Only a slip in the date can make it no date (month 13, day 00): the dialog then asks for the number again.
          else expect(pos, typo).toBeLessThan(6);
          if (pos >= 6) expect(kind, typo).toBe('mistyped');
        }
      }
    }
    expect(slips / typos).toBeGreaterThan(0.75);
  });

  it('every swap of two neighbouring digits is rejected', () => {
    for (const n of sample) {
      for (let pos = 0; pos + 1 < n.length; pos++) {
        if (n[pos] === n[pos + 1]) continue;
        const swapped = `${n.slice(0, pos)}${n[pos + 1]}${n[pos]}${n.slice(pos + 2)}`;
        const kind = trackingNumberKind(swapped);
        expect(kind === 'current' || kind === 'legacy', swapped).toBe(false);
        if (pos >= 6) expect(kind, swapped).toBe('mistyped');
      }
    }
  });

  it('is Damm\'s: the published example 572 → 4', () => {
    expect(dammDigit('572')).toBe('4');
  });
});

describe('reading what a resident wrote or said', () => {
  const n = issuer.issue(DAY, 42);
  const [a, b, c] = [n.slice(0, 4), n.slice(4, 8), n.slice(8)];
  const chinese = (s: string) => [...s].map((d) => '零一二三四五六七八九'[Number(d)]).join('');
  const phoneStyle = (s: string) => [...s].map((d) => '洞幺两三四五六拐八勾'[Number(d)]).join('');
  const fullWidth = (s: string) => [...s].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('');

  it.each([
    ['plain', n],
    ['in groups with spaces', `${a} ${b} ${c}`],
    ['with dashes', `${a}-${b}-${c}`],
    ['with commas, as read back from a call', `${a}，${b}，${c}`],
    ['in a sentence', `单号是${n}，你给查查`],
    ['in Chinese digits', `编号${chinese(n)}`],
    ['in Chinese digits, in groups', `${chinese(a)} ${chinese(b)}，${chinese(c)}`],
    ['in the telephone forms 幺两拐勾洞', phoneStyle(n)],
    ['in full-width digits (normalised first, as the dialog does)', fullWidth(n).replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))],
    ['beside a phone number', `${a} ${b} ${c} 13800138000`],
  ])('%s', (_, text) => {
    expect(trackingNumberIn(text)).toBe(n);
  });

  it('numbers issued before (YYYYMMDD + sequence) are still read, and never taken for slips', () => {
    for (const old of ['202611220007', '202612070001', '203001019999']) {
      expect(trackingNumberKind(old)).toBe('legacy');
      expect(trackingNumberIn(`查一下 ${old.slice(0, 4)} ${old.slice(4, 8)} ${old.slice(8)}`)).toBe(old);
    }
  });

  it('other numbers are not tracking numbers, nor slips: a mobile, an ID number, a year, a phone and a count', () => {
    for (const text of ['13800138000', '11010519491231002X', '110105194912310021', '2026年', '门牌号 12 号', '电话13800138000，2口人']) {
      expect(readTrackingNumber(text), text).toBeUndefined();
    }
  });

  it('is spoken in three groups, digit by digit; a referral\'s part after a dash', () => {
    expect(spokenTrackingNumber('261207345163')).toBe('2 6 1 2，0 7 3 4，5 1 6 3');
    expect(spokenTrackingNumber('261207345163-2')).toBe('2 6 1 2，0 7 3 4，5 1 6 3，杠2');
  });

  it('staff may type it in groups or in full-width digits; the stored form is found', () => {
    expect(compactTrackingNumber(` ${a} ${b} ${c} `)).toBe(n);
    expect(compactTrackingNumber(`${a}-${b}-${c}-1`)).toBe(`${n}-1`);
    expect(compactTrackingNumber(fullWidth(n))).toBe(n);
    expect(compactTrackingNumber(`${a} ${b}`)).toBe(`${a}${b}`);
    expect(compactTrackingNumber('王秀英')).toBe('王秀英');
  });

  it('is never masked as a phone or ID number', () => {
    for (const m of dayNumbers.slice(0, 2000)) {
      for (const text of [`承办编号${m}：已受理`, `${m.slice(0, 4)} ${m.slice(4, 8)} ${m.slice(8)}`, spokenTrackingNumber(m)]) expect(maskPersonalNumbers(text)).toBe(text);
    }
  });
});

describe('TRACKING_KEY', () => {
  const DATA_KEY = randomBytes(32).toString('base64');

  it('is required in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', DATA_KEY })).toThrow(/TRACKING_KEY: is required in production/);
    const key = randomBytes(32).toString('base64');
    expect(parseConfig({ NODE_ENV: 'production', DATA_KEY, TRACKING_KEY: key }).trackingKey).toEqual(Buffer.from(key, 'base64'));
  });

  it('must be 32 bytes', () => {
    expect(() => parseConfig({ TRACKING_KEY: 'short' })).toThrow(/TRACKING_KEY: must be 32 bytes/);
  });

  it('elsewhere is derived from DATA_KEY: the same each run, and not the data key itself', () => {
    const one = parseConfig({ DATA_KEY }).trackingKey;
    expect(parseConfig({ DATA_KEY }).trackingKey).toEqual(one);
    expect(one).not.toEqual(Buffer.from(DATA_KEY, 'base64'));
    expect(one).toHaveLength(32);
    expect(parseConfig({}).trackingKey).toEqual(parseConfig({}).trackingKey);
  });
});
