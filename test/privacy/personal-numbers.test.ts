import { describe, expect, it } from 'vitest';
import { allDigits } from '../../src/dialogs/understand/digits.js';
import { extractPhone, extractPhoneLoose, findIdNumber, normalizeUtterance, parseIdNumber } from '../../src/dialogs/understand/index.js';
import { scrubPersonalData } from '../../src/logging.js';
import { maskDigitRuns, maskKeypad, maskPersonalNumbers, maskPersonalNumbersIn, maskRepeated } from '../../src/privacy/personal-numbers.js';
import { variants } from './number-variants.js';

const ID = '11010519491231002X';
const MASKED = '110***********002X';
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** What the dialog can read out of a text: the ID and phone readers it uses, each asked on its own. */
function parserReads(text: string): string[] {
  const id = findIdNumber(text);
  const whole = parseIdNumber(text);
  return [id?.ok ? id.value : undefined, whole.ok ? whole.value : undefined, extractPhone(text), extractPhoneLoose(text)].filter((v): v is string => !!v);
}

const digitStream = (text: string) => allDigits(normalizeUtterance(text));

/** Unmasked: the dialog still reads the number, or 8 of its digits in a row are still there. */
function leaks(masked: string, value: string): string | undefined {
  const read = parserReads(masked);
  if (read.length > 0) return `parser reads ${read.join(', ')}`;
  const stream = digitStream(masked);
  const digits = value.replace(/X$/, '');
  for (let i = 0; i + 8 <= digits.length; i++) if (stream.includes(digits.slice(i, i + 8))) return `digits ${digits.slice(i, i + 8)} visible`;
  return undefined;
}

describe('maskPersonalNumbers: ID numbers', () => {
  it('masks a typed ID number as staff see it by default, keeping the words around it', () => {
    expect(maskPersonalNumbers(`我的身份证${ID}，谢谢`)).toBe(`我的身份证${MASKED}，谢谢`);
    expect(maskPersonalNumbers(`身份证${ID.toLowerCase()}。`)).toBe('身份证110***********002x。');
  });

  it('keeps full-width ends full-width', () => {
    expect(maskPersonalNumbers(`身份证：${fullWidth(ID)}`)).toBe(`身份证：${fullWidth('110')}***********${fullWidth('002X')}`);
  });

  it.each([
    ['spaces', '身份证 110105 19491231 002X 谢谢', `身份证 ${MASKED} 谢谢`],
    ['ideographic spaces', '身份证110105\u300019491231\u3000002X', `身份证${MASKED}`],
    ['hyphens', '身份证110-105-1949-1231-002X', `身份证${MASKED}`],
    ['dots', '身份证110105.19491231.002X', `身份证${MASKED}`],
    ['full-width commas', '身份证110105，19491231，002X', `身份证${MASKED}`],
    ['enumeration commas', '身份证110105、19491231、002X', `身份证${MASKED}`],
    ['colons', '身份证:110105:19491231:002X', `身份证:${MASKED}`],
    ['hashes', '110105#19491231#002X#', `${MASKED}#`],
    ['mixed spaces and dashes', '110105 - 1949\u30001231 —002 X', MASKED],
  ])('masks an ID number broken up by %s', (_what, text, masked) => {
    expect(maskPersonalNumbers(text)).toBe(masked);
  });

  it('masks a spoken number (幺/洞/两/拐/勾, 叉 or 艾克斯 for X), keeping its ends as said', () => {
    expect(maskPersonalNumbers('身份证幺幺洞幺洞五幺勾四勾幺两三幺洞洞两叉')).toBe('身份证幺幺洞***********洞洞两叉');
    expect(maskPersonalNumbers('我的身份证一一零一零五一九四九一二三一零零二艾克斯，谢谢')).toBe('我的身份证一一零***********零零二艾克斯，谢谢');
  });

  it('masks every number in a message, typed and spoken, and an ID beside a phone', () => {
    expect(maskPersonalNumbers(`我的${ID}，老伴的440524188001010014`)).toBe(`我的${MASKED}，老伴的440***********0014`);
    expect(maskPersonalNumbers(`13800138000 ${ID}`)).toBe(`138****8000 ${MASKED}`);
    expect(maskPersonalNumbers('13800138000 110105 19491231 002X')).toBe(`138****8000 ${MASKED}`);
    expect(maskPersonalNumbers(`${ID}一家五口`)).toBe(`${MASKED}一家五口`);
  });

  it('masks an attempt the dialog would refuse (a slip, an old 15-digit number)', () => {
    expect(maskPersonalNumbers('身份证11010519491231002')).toBe('身份证110**********1002');
    expect(maskPersonalNumbers('110105491231002')).toBe('110********1002');
  });

  it('masks an ID number said in two halves with words between, as the dialog reads it', () => {
    const text = '前面是110105，后面是19491231002X';
    expect(parseIdNumber(text)).toMatchObject({ ok: true, value: ID });
    const masked = maskPersonalNumbers(text);
    expect(masked).toBe('前面是110***，后面是********002X');
    expect(parserReads(masked)).toEqual([]);
  });

  it('leaves traditional characters around a number as written', () => {
    expect(maskPersonalNumbers(`我叫王秀雲，身份證${ID}，家裡三口人`)).toBe(`我叫王秀雲，身份證${MASKED}，家裡三口人`);
  });
});

describe('maskPersonalNumbers: phone numbers', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['打电话给 138 1234 5678', '打电话给 138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['008613812345678', '138****5678'],
    ['138.1234.5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['电话一三八一二三四五六七八', '电话一三八****五六七八'],
    ['我电话是幺三八洞洞幺三八洞洞洞', '我电话是幺三八****八洞洞洞'],
    ['幺三八 拐勾两洞 洞洞洞洞', '幺三八****洞洞洞洞'],
    ['电话１３８１２３４５６７８', '电话１３８****５６７８'],
    ['座机0539-8123456', '座机053****3456'],
    ['座机(0539)8123456', '座机053****3456'],
    ['座机（0539）8123456', '座机053****3456'],
    ['010-12345678', '010****5678'],
    ['来电 +865398123456', '来电 539***3456'],
    ['00865398123456', '539***3456'],
    ['两个号码13812345678 13912345678', '两个号码138****5678 139****5678'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalNumbers(text)).toBe(masked);
    expect(parserReads(maskPersonalNumbers(text))).toEqual([]);
  });

  it('masks a mobile said in pieces with words between, as the dialog reads it', () => {
    const text = '幺三八，然后是零零幺三，再是八零零零';
    expect(extractPhoneLoose(text)).toBe('13800138000');
    expect(maskPersonalNumbers(text)).toBe('幺三八，然后是****，再是八零零零');
  });

  it('keeps text without an ID or phone number as it is', () => {
    for (const text of ['家里着火了，老人被困', '', '门牌号 12 号，3 口人', '我今年七十八，家里两口人', '承办编号202612070001', '什么时候能办好？', 'order 12345 and year 2026', '2026-12-07 09:30']) {
      expect(maskPersonalNumbers(text)).toBe(text);
    }
  });

  it('masking masked text changes nothing', () => {
    for (const text of [`${ID} 13800138000`, '幺三八，然后是零零幺三，再是八零零零', '座机(0539)8123456', '110105491231002']) {
      const once = maskPersonalNumbers(text);
      expect(maskPersonalNumbers(once)).toBe(once);
    }
  });
});

describe('keys, JSON and log lines', () => {
  it('masks an ID or phone number keyed on a call (* for X), keeping the closing #', () => {
    expect(maskKeypad('11010519491231002*')).toBe('110***********002*');
    expect(maskKeypad('11010519491231002*#')).toBe('110***********002*#');
    expect(maskKeypad('13812345678#')).toBe('138****5678#');
    for (const digits of ['1', '2#', '0', '']) expect(maskKeypad(digits)).toBe(digits);
  });

  it('masks every string inside a JSON value, keys and structure kept', () => {
    expect(maskPersonalNumbersIn({ what: `身份证${ID}`, n: 3, list: ['电话138 0013 8000'], nested: { ok: true } })).toEqual({
      what: `身份证${MASKED}`,
      n: 3,
      list: ['电话138****8000'],
      nested: { ok: true },
    });
  });

  it('scrubs log lines, escaped newlines between groups included, and leaves timestamps and ids alone', () => {
    expect(scrubPersonalData(JSON.stringify({ text: '电话138\n0013\n8000', id: ID }))).toBe('{"text":"电话138****8000","id":"110***********002X"}');
    const line = '{"level":30,"time":1765114000000,"pid":12345,"reqId":"req-1","responseTime":12.3456789,"msg":"ok"}';
    expect(scrubPersonalData(line)).toBe(line);
    // Machine ids hold digits that are nobody's number: UUIDs, provider SIDs, hashes.
    const ids = '{"messageId":"01a250c8-8ab9-7512-8345-988123480751","sid":"SM5f8e2a1c9d3b4e6f7a8b9c0d1e2f3a4b","hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}';
    expect(scrubPersonalData(ids)).toBe(ids);
    // …but an ID number glued to a few hex letters is still one.
    expect(maskPersonalNumbers(`sfz${ID.slice(0, 17)}1abcdef`)).not.toContain(ID.slice(0, 17));
    expect(scrubPersonalData(`{"err":"'To' number +865398123456 is not a valid mobile number"}`)).toBe(`{"err":"'To' number 539***3456 is not a valid mobile number"}`);
  });
});

describe('generated variants: 10,000+ ID and phone numbers written every way', () => {
  const all = variants(10_200);

  it('most variants are numbers the dialog reads today, the rest forms it does not read yet (dotted, 、-separated)', () => {
    const readable = all.filter((v) => parserReads(v.text).length > 0).length;
    expect(readable / all.length).toBeGreaterThan(0.6);
    expect(new Set(all.map((v) => v.kind))).toEqual(new Set(['id', 'mobile', 'landline']));
  });

  it('none is left readable or with 8 of its digits in a row after masking', () => {
    const unmasked = all.flatMap((v) => {
      const masked = maskPersonalNumbers(v.text);
      const why = leaks(masked, v.value);
      return why ? [{ ...v, masked, why }] : [];
    });
    expect(unmasked.slice(0, 10)).toEqual([]);
    expect(unmasked.length).toBe(0);
    // Every variant, readable by the dialog or not, came out changed.
    expect(all.filter((v) => maskPersonalNumbers(v.text) === v.text)).toEqual([]);
  });

  it('none survives in a log line either', () => {
    const unmasked = all.slice(0, 3000).filter((v) => leaks(JSON.parse(scrubPersonalData(JSON.stringify({ msg: v.text }))).msg as string, v.value));
    expect(unmasked.slice(0, 5)).toEqual([]);
  });

  it('none is left readable with a hesitation ("嗯") between two groups and another number in the message', () => {
    // The dialog's scanner joins groups across a hesitation; with a second number in the text, only the run read the
    // same way finds the first one (the whole-message reading does not apply, so numbers said in pieces with words
    // between are left out: with another number beside them the dialog reads neither).
    const digit = '[0-9０-９零〇洞幺么一二两兩三四五六七拐八九勾]';
    const between = new RegExp(`(${digit})[ \\-—.．，,、:：#\\u3000\\t]+(?=${digit})`);
    const hesitant = variants(2000, 777)
      .filter((v) => between.test(v.text) && !/后面是|然后是/.test(v.text))
      .map((v) => ({ ...v, text: `${v.text.replace(between, '$1 嗯 ')} 电话13912345678` }));
    expect(hesitant.length).toBeGreaterThan(1000);
    const unmasked = hesitant.filter((v) => leaks(maskPersonalNumbers(v.text), v.value));
    expect(unmasked.slice(0, 5)).toEqual([]);
  });

  it('a phone written just before an X form is masked, as the dialog reads it without the X', () => {
    const text = '后面是1勾9九 0２０拐 7勾二× 电话13912345678';
    expect(extractPhone(text)).toBe('19990207792');
    expect(maskPersonalNumbers(text)).toBe('后面是1勾9****拐7勾二× 电话139****5678');
    expect(parserReads(maskPersonalNumbers(text))).toEqual([]);
  });
});

describe('maskRepeated (strings that come with every request)', () => {
  it('gives what maskPersonalNumbers gives, the first time and every time after, in text and in JSON', () => {
    const texts = ['ACbench0000000000000000000000000000', '+8653912349', ',"pid":', `身份证${ID}`, '电话 138 0013 8000', '幺三八零零幺三八零零零', '0', '', 'x'.repeat(300)];
    for (let round = 0; round < 3; round++) {
      for (const text of [...texts, ...variants(200, 5).map((v) => v.text)]) {
        expect(maskRepeated(text)).toBe(maskPersonalNumbers(text));
        expect(maskRepeated(text, { jsonEscapes: true })).toBe(maskPersonalNumbers(text, { jsonEscapes: true }));
      }
    }
  });

  it('a number is masked however often the clean strings around it come', () => {
    for (let i = 0; i < 3000; i++) expect(maskRepeated(`,"n":${i % 7}`)).toBe(`,"n":${i % 7}`);
    expect(maskRepeated(`,"n":${ID}`)).toBe(`,"n":${MASKED}`);
  });
});

describe('maskDigitRuns (routing prompts and reports)', () => {
  it('keeps the first 3 and last 4 of phone and ID numbers', () => {
    expect(maskDigitRuns('电话13812341234')).toBe('电话138****1234');
    expect(maskDigitRuns('身份证11010519491231002X')).toBe('身份证110***********002X');
    expect(maskDigitRuns('电话 138 1234 1234')).toBe('电话 138****1234');
  });

  it('leaves short numbers alone', () => {
    expect(maskDigitRuns('家里3口人，一个月500块')).toBe('家里3口人，一个月500块');
  });
});
