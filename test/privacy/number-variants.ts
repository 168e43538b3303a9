import { seeded, type Rng } from '../helpers/seeded.js';

/**
 * Generated ID and phone numbers, written every way a resident writes or says them: typed, full-width, spoken
 * (幺/两/洞/拐/勾 and the plain numerals, traditional 兩/么), in groups joined by spaces, dashes, dots, commas, 、, colons,
 * #, brackets, with country codes and area codes, inside sentences and next to other numbers. Seeded, so a failure
 * names a variant that can be replayed.
 */

export type Variant = { kind: 'id' | 'mobile' | 'landline'; value: string; text: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const REGIONS = ['110105', '371302', '371311', '440524', '130102', '320106', '510104', '230103', '450102'];

export function idNumber(r: Rng): string {
  const year = 1930 + r.int(90);
  const month = 1 + r.int(12);
  const day = 1 + r.int(28);
  const body = `${r.pick(REGIONS)}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(r.int(1000)).padStart(3, '0')}`;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11]!;
}

export function mobile(r: Rng): string {
  return `1${r.pick(['3', '4', '5', '6', '7', '8', '9'])}${Array.from({ length: 9 }, () => r.int(10)).join('')}`;
}

/** Area code and number: 010/02x with 8 digits, 0xxx with 7 or 8. */
export function landline(r: Rng): { area: string; local: string } {
  const area = r.pick(['010', '021', '022', '0539', '0531', '0532', '0755', '0371']);
  const length = area.length === 3 ? 8 : r.pick([7, 8]);
  const local = `${1 + r.int(8)}${Array.from({ length: length - 1 }, () => r.int(10)).join('')}`;
  return { area, local };
}

const SPOKEN: Record<string, string[]> = {
  '0': ['零', '洞', '〇'],
  '1': ['一', '幺', '么'],
  '2': ['二', '两', '兩'],
  '3': ['三'],
  '4': ['四'],
  '5': ['五'],
  '6': ['六'],
  '7': ['七', '拐'],
  '8': ['八'],
  '9': ['九', '勾'],
};
const X_FORMS = ['X', 'x', 'Ｘ', 'ｘ', '叉', '×', '艾克斯', '*'];
const fullWidth = (d: string) => String.fromCharCode(d.charCodeAt(0) + 0xfee0);

type Script = 'typed' | 'full' | 'spoken' | 'mixed';

function writeDigit(r: Rng, d: string, script: Script): string {
  if (d === 'X') return r.pick(X_FORMS);
  const s = script === 'mixed' ? r.pick(['typed', 'full', 'spoken'] as const) : script;
  if (s === 'typed') return d;
  if (s === 'full') return fullWidth(d);
  return r.pick(SPOKEN[d]!);
}

const SEPARATORS = [' ', '  ', '\u3000', '-', ' - ', '—', '.', '．', '，', ',', '、', ':', '：', '#', ' ,', '\t', ' . ', '、 '];

/** Splits digits into groups in the usual ways (3-4-4, 6-8-4…) or at random. */
function groups(r: Rng, digits: string): string[] {
  const shapes: Record<number, number[][]> = {
    11: [[11], [3, 4, 4], [3, 3, 5], [4, 4, 3], [3, 8], [7, 4]],
    12: [[12], [4, 8], [4, 4, 4], [3, 4, 5]],
    18: [[18], [6, 8, 4], [6, 4, 4, 4], [3, 3, 4, 4, 4], [6, 12], [9, 9], [6, 8, 3, 1]],
  };
  const options = shapes[digits.length];
  let shape: number[];
  if (options && r.next() < 0.7) shape = r.pick(options);
  else {
    shape = [];
    for (let left = digits.length; left > 0; ) {
      const n = Math.min(left, 1 + r.int(6));
      shape.push(n);
      left -= n;
    }
  }
  const out: string[] = [];
  let at = 0;
  for (const n of shape) {
    out.push(digits.slice(at, at + n));
    at += n;
  }
  return out;
}

function write(r: Rng, digits: string): string {
  const script = r.pick(['typed', 'typed', 'full', 'spoken', 'mixed'] as const);
  const sep = r.next() < 0.5 ? r.pick(SEPARATORS) : undefined;
  const parts = groups(r, digits).map((g) => [...g].map((d) => writeDigit(r, d, script)).join(''));
  if (parts.length === 1) return parts[0]!;
  return parts.map((p, i) => (i === 0 ? p : `${sep ?? r.pick(SEPARATORS)}${p}`)).join('');
}

function writeMobile(r: Rng, m: string): string {
  const prefix = r.pick(['', '', '', '+86', '+86 ', '86', '0086', '+86-']);
  return prefix + write(r, m);
}

function writeLandline(r: Rng, l: { area: string; local: string }): string {
  const area = write(r, l.area);
  const local = write(r, l.local);
  return r.pick([`${area}-${local}`, `(${area})${local}`, `（${area}）${local}`, `${area} ${local}`, `${area}${local}`, `${area}－${local}`, `${area}—${local}`]);
}

const AROUND = [
  (n: string) => n,
  (n: string) => `我的身份证号是${n}，谢谢`,
  (n: string) => `电话${n}`,
  (n: string) => `号码：${n}。`,
  (n: string) => `家里3口人，住在枣园镇，联系方式${n}，麻烦尽快`,
  (n: string) => `我叫王秀雲，身份證${n}，家裡兩口人`,
  (n: string) => `${n} 这是我儿子的`,
  (n: string) => `有事打我儿子电话${n}，谢谢`,
  (n: string) => `老伴七十八了，${n}`,
  (n: string) => `门牌号12号 ${n} 急`,
];

/** `count` variants, a third each of ID numbers, mobiles and landlines. */
export function variants(count: number, seed = 20261207): Variant[] {
  const r = seeded(seed);
  const out: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const around = r.pick(AROUND);
    if (i % 3 === 0) {
      const value = idNumber(r);
      // Now and then said in two halves with words between, the way the dialog still reads it.
      const text = r.next() < 0.08 ? `前面是${write(r, value.slice(0, 6))}，后面是${write(r, value.slice(6))}` : around(write(r, value));
      out.push({ kind: 'id', value, text });
    } else if (i % 3 === 1) {
      const value = mobile(r);
      const text = r.next() < 0.08 ? `${write(r, value.slice(0, 3))}，然后是${write(r, value.slice(3, 7))}，再是${write(r, value.slice(7))}` : around(writeMobile(r, value));
      out.push({ kind: 'mobile', value, text });
    } else {
      const l = landline(r);
      out.push({ kind: 'landline', value: l.area + l.local, text: around(writeLandline(r, l)) });
    }
  }
  return out;
}
