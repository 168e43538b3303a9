import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newState, type DialogState } from '../../src/dialogs/state.js';
import { createPersonalDataCipher } from '../../src/privacy/cipher.js';
import { openInbound, sealInbound } from '../../src/privacy/sealed-message.js';
import { openDialogState, sealDialogState } from '../../src/privacy/sealed-state.js';

const ID = '11010519491231002X';
const cipher = createPersonalDataCipher(randomBytes(32));

describe('sealInbound / openInbound: a message as stored, and as the resident sent it', () => {
  it('stores a message holding an ID number masked, with the original sealed in raw', () => {
    const msg = { text: `我叫王秀英，身份证${ID}`, digits: undefined, raw: { MessageSid: 'SM1', Body: `我叫王秀英，身份证${ID}` } };
    const stored = sealInbound(msg, cipher);
    expect(stored.text).toBe('我叫王秀英，身份证110***********002X');
    expect(stored.digits).toBeNull();
    expect(Object.keys(stored.raw)).toEqual(['sealed']);
    expect(String(stored.raw.sealed)).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(stored)).not.toContain(ID);
    expect(openInbound(stored, cipher)).toEqual({ text: msg.text, digits: null, raw: msg.raw });
  });

  it('masks keypad digits of an ID number and gives them back', () => {
    const msg = { text: '', digits: `${ID.slice(0, 17)}*`, raw: { CallSid: 'CA1', Digits: `${ID.slice(0, 17)}*` } };
    const stored = sealInbound(msg, cipher);
    expect(stored.digits).toBe('110***********002*');
    expect(JSON.stringify(stored)).not.toContain(ID.slice(0, 17));
    expect(openInbound(stored, cipher)).toEqual({ text: '', digits: msg.digits, raw: msg.raw });
  });

  it('stores a phone number masked too, in the text or only in the payload (Twilio From), the original sealed', () => {
    const msg = { text: '家里着火了，电话138 1234 5678', digits: '1', raw: { MessageSid: 'SM3', Body: '家里着火了，电话138 1234 5678' } };
    const stored = sealInbound(msg, cipher);
    expect(stored.text).toBe('家里着火了，电话138****5678');
    expect(Object.keys(stored.raw)).toEqual(['sealed']);
    expect(openInbound(stored, cipher)).toEqual({ text: msg.text, digits: '1', raw: msg.raw });
    const from = sealInbound({ text: '你好', digits: undefined, raw: { MessageSid: 'SM4', From: '+8613812345678' } }, cipher);
    expect(from.text).toBe('你好');
    expect(JSON.stringify(from)).not.toContain('13812345678');
    expect(openInbound(from, cipher).raw).toEqual({ MessageSid: 'SM4', From: '+8613812345678' });
  });

  it('stores a message without one as it came, and opens it (or an older row) unchanged', () => {
    const msg = { text: '家里着火了，门牌号12号，3口人', digits: '1', raw: { MessageSid: 'SM2' } };
    const stored = sealInbound(msg, cipher);
    expect(stored).toEqual({ text: msg.text, digits: '1', raw: msg.raw });
    expect(openInbound(stored, cipher)).toEqual({ text: msg.text, digits: '1', raw: msg.raw });
    expect(openInbound({ text: '你好', digits: null, raw: null }, cipher)).toEqual({ text: '你好', digits: null, raw: {} });
  });

  it('refuses to open a message sealed with another key, naming DATA_KEY', () => {
    const stored = sealInbound({ text: `身份证${ID}`, raw: {} }, createPersonalDataCipher(randomBytes(32)));
    expect(() => openInbound(stored, cipher)).toThrow(/DATA_KEY/);
  });
});

describe('sealDialogState / openDialogState: the dialog state at rest', () => {
  const state: DialogState = {
    ...newState('sms', '2026-11-22T02:00:00.000Z'),
    flow: 'application',
    step: 'phone',
    slots: { name: '王秀英', idNumber: ID, phone: '13812345678' },
  };

  it('seals the whole state and opens it back', () => {
    const sealed = sealDialogState(state, cipher);
    expect(Object.keys(sealed)).toEqual(['sealed']);
    expect(JSON.stringify(sealed)).not.toContain(ID);
    expect(JSON.stringify(sealed)).not.toContain('王秀英');
    expect(openDialogState(sealed, cipher)).toEqual(state);
    // As it comes back from a jsonb column or a Redis string.
    expect(openDialogState(JSON.parse(JSON.stringify(sealed)), cipher)).toEqual(state);
  });

  it('reads a plain state written before states were sealed', () => {
    expect(openDialogState(JSON.parse(JSON.stringify(state)), cipher)).toEqual(state);
  });

  it('gives undefined for a state sealed with another key, damaged, or of an unknown shape', () => {
    expect(openDialogState(sealDialogState(state, createPersonalDataCipher(randomBytes(32))), cipher)).toBeUndefined();
    expect(openDialogState({ sealed: 'v1:AAAA' }, cipher)).toBeUndefined();
    expect(openDialogState({ sealed: 'not sealed' }, cipher)).toBeUndefined();
    expect(openDialogState({ version: -1, nonsense: true }, cipher)).toBeUndefined();
    expect(openDialogState(null, cipher)).toBeUndefined();
  });
});
