import { describe, expect, it } from 'vitest';
import { step } from '../../src/dialogs/engine.js';
import { questionForModel, rulesActs } from '../../src/dialogs/model-gate.js';
import { newState, type DialogState, type MessageInput, type Step } from '../../src/dialogs/state.js';
import { runTranscript } from '../../src/dialogs/transcripts.js';
import { act, TurnAct, type ActField, type ActKind } from '../../src/dialogs/understand/turn-acts.js';
import { makeCtx, VALID_ID } from './helpers.js';

// The step with a model's reading passed in (the runner reads it before the step): the model fills what the rules
// could not read, every value checked by the item's own reader, and a confident rules reading is never overridden.

const ctx = makeCtx();
const AT = ctx.now.toISOString();

const PLAIN: Partial<Record<Step, string>> = {
  menu: '我想申请低保',
  reason: '老伴走了，腿脚不好，家里没啥收入',
  name: '刘桂芝',
  idNumber: VALID_ID,
  householdSize: '两口人',
  place: '枣园镇东鲁村',
  phone_confirm: '是',
  relation: '本人',
  consent: '同意',
  safety: '没有',
};

/** An application played with plain answers until it waits on `target`. */
function reach(target: Step): DialogState {
  let state: DialogState | undefined;
  for (let i = 0; i < 20 && state?.step !== target; i++) {
    const said = PLAIN[state?.step ?? 'menu'];
    if (!said) throw new Error(`no plain answer for ${state?.step}`);
    state = runTranscript(ctx, 'sms', [said], { state }).state;
  }
  if (state?.step !== target) throw new Error(`never reached ${target}`);
  return state;
}

const model = (kind: ActKind, extra: { field?: ActField; value?: string; topic?: TurnAct['topic']; confidence?: number } = {}) =>
  act(kind, { confidence: 0.9, ...extra });

const input = (text: string, acts?: TurnAct[]): MessageInput => ({ kind: 'message', channel: 'sms', text, at: AT, ...(acts ? { model: acts } : {}) });
const withModel = (state: DialogState, text: string, ...acts: TurnAct[]) => step(state, input(text, acts), ctx);
const rulesOnly = (state: DialogState, text: string) => step(state, input(text), ctx);
const said = (r: ReturnType<typeof step>) => r.replies.map((x) => x.text).join('\n');

const ODD_NAME = '俺嘛，户口本上写的是刘桂芝三个字';
const STORY = '说起来话长，闺女出嫁了，儿子在外打工不回来，屋里就我一个老婆子';
const NOWHERE = '俺住河边那个庄';

describe('a model fills what the rules could not read', () => {
  it('a name inside an odd sentence', () => {
    const state = reach('name');
    expect(rulesOnly(state, ODD_NAME).state.slots.name).toBeUndefined();
    const r = withModel(state, ODD_NAME, model('answer', { field: 'name', value: '刘桂芝' }));
    expect(r.state.slots.name).toBe('刘桂芝');
    expect(r.state.step).not.toBe('name');
  });

  it('a household told as a story', () => {
    const state = reach('householdSize');
    expect(rulesOnly(state, STORY).state.slots.householdSize).toBeUndefined();
    const r = withModel(state, STORY, model('answer', { field: 'householdSize', value: '1' }));
    expect(r.state.slots.householdSize).toBe(1);
    expect(r.state.step).toBe('place');
  });

  it('a place of the county directory', () => {
    const state = reach('place');
    const r = withModel(state, '东边那个鲁家的庄子，离集上不远', model('answer', { field: 'place', value: '枣园镇东鲁村' }));
    expect(r.state.slots).toMatchObject({ townshipCode: 'zaoyuan' });
    expect(r.state.slots.villageCode).toBeDefined();
    expect(r.state.step).not.toBe('place');
  });

  it('a correction at the read-back that names no item the rules know', () => {
    const state = reach('summary');
    const text = '俺那名儿写岔了，应该是刘玉芝';
    const r = withModel(state, text, model('deny'), model('correct', { field: 'name', value: '刘玉芝' }));
    expect(r.state.slots.name).toBe('刘玉芝');
    expect(said(r)).toContain('已更正：姓名：刘玉芝');
    expect(r.effects.filter((e) => e.type === 'open_case')).toEqual([]);
  });

  it('a request for a person, and a question back, where the rules read nothing', () => {
    const state = reach('name');
    const person = withModel(state, '你这个俺整不了，叫个管事的来', model('request_human'));
    expect(person.state.flow).toBe('handover');
    const question = withModel(state, '证件那些东西俺也不晓得都要带哪样', model('question', { topic: 'documents' }));
    expect(said(question)).toContain('身份证、户口本');
    expect(said(question)).toContain('请问申请人叫什么名字？');
  });

  it('danger the rules missed asks the safety question; it raises no alarm by itself', () => {
    const state = reach('householdSize');
    const r = withModel(state, '俺和俺娘两口人，这两天家里就剩半袋面了', model('answer', { field: 'householdSize', value: '2' }), model('urgent_signal'));
    expect(r.state.safety.pending).toBe(true);
    expect(r.effects.filter((e) => e.type === 'flag_duty')).toEqual([]);
  });
});

describe('a model answer that fails the item’s check is not used', () => {
  const same = (state: DialogState, text: string, ...acts: TurnAct[]) => expect(withModel(state, text, ...acts)).toEqual(rulesOnly(state, text));

  it('household 0, 21 or words', () => {
    const state = reach('householdSize');
    same(state, STORY, model('answer', { field: 'householdSize', value: '0' }));
    same(state, STORY, model('answer', { field: 'householdSize', value: '21' }));
    same(state, STORY, model('answer', { field: 'householdSize', value: '不少' }));
  });

  it('a place that is not in the county directory, or one the resident said nothing of', () => {
    same(reach('place'), NOWHERE, model('answer', { field: 'place', value: '火星镇月亮村' }));
    same(reach('place'), NOWHERE, model('answer', { field: 'place', value: '枣园镇东鲁村' }));
  });

  it('a name the resident never said, or one the name reader refuses', () => {
    const state = reach('name');
    same(state, ODD_NAME, model('answer', { field: 'name', value: '王秀兰' }));
    same(state, ODD_NAME, model('answer', { field: 'name', value: '刘桂芝三个字' }));
  });

  it('a guess below the confidence bar', () => {
    same(reach('name'), ODD_NAME, model('answer', { field: 'name', value: '刘桂芝', confidence: 0.4 }));
  });
});

describe('the rules are the floor', () => {
  it('a name, a relation and a household the rules read stand against the model', () => {
    expect(withModel(reach('name'), '王秀兰', model('answer', { field: 'name', value: '李四' })).state.slots.name).toBe('王秀兰');
    expect(withModel(reach('relation'), '俺替俺娘办的', model('answer', { field: 'relation', value: '邻居' })).state.relation).toBe('家属');
    expect(withModel(reach('householdSize'), '三口人', model('answer', { field: 'householdSize', value: '5' })).state.slots.householdSize).toBe(3);
  });

  it('an act the rules read ("记不清", a question back) decides, whatever the model says', () => {
    const state = reach('name');
    expect(withModel(state, '记不清了', model('answer', { field: 'name', value: '刘桂芝' }))).toEqual(rulesOnly(state, '记不清了'));
    const q = '得准备些啥证件？';
    expect(withModel(state, q, model('request_human'))).toEqual(rulesOnly(state, q));
  });

  it('a plain yes at the read-back submits as read, whatever correction the model invents', () => {
    const state = reach('summary');
    expect(withModel(state, '对', model('correct', { field: 'name', value: '对' }))).toEqual(rulesOnly(state, '对'));
  });

  it('a model’s "no" never lowers the safety question', () => {
    const state = { ...reach('householdSize'), step: 'safety' as const, safety: { flagged: false, lifeDangerTold: false, mentalHealthTold: false, pending: true } };
    const text = '这个咋说呢';
    expect(withModel(state, text, model('deny'))).toEqual(rulesOnly(state, text));
  });
});

describe('which turns a model is asked to read', () => {
  const at = (s: Step, flow: DialogState['flow'] = 'application'): DialogState => ({ ...newState('sms', AT), flow, step: s });
  const asks = (state: DialogState | undefined, text: string, digits?: string) => questionForModel(state, { ...input(text), ...(digits ? { digits } : {}) }, ctx);

  it('never a number: ID, phone, tracking number, keys pressed', () => {
    for (const s of ['idNumber', 'phone', 'phone_confirm', 'identity_check', 'progress_key', 'progress_phone', 'progress_last4'] as const) {
      expect(asks(at(s), '俺那个号嘛，记在本子上了，11010519491231002X')).toBeUndefined();
    }
    expect(asks(at('name'), '', '123')).toBeUndefined();
    expect(asks(at('name'), '王秀兰', '1')).toBeUndefined();
  });

  it('answers in the resident’s own words always; other questions only when the rules read nothing', () => {
    expect(asks(at('name'), ODD_NAME)).toEqual({ flow: 'application', step: 'name', topic: '申请救助：姓名', text: ODD_NAME });
    expect(asks(at('householdSize'), '三口人')).toBeDefined();
    expect(asks(at('place'), '枣园镇东鲁村')).toBeUndefined();
    expect(asks(at('place'), NOWHERE)).toBeDefined();
    expect(asks(at('consent'), '同意')).toBeUndefined();
    expect(asks(at('summary'), '对')).toBeUndefined();
    expect(asks(at('summary'), '俺那名儿写岔了')).toBeDefined();
    // A number in a correction is the correction: the rules' alone.
    expect(asks(at('summary'), '电话不对，是13912345678')).toBeUndefined();
  });

  it('not at the start, nor when a person holds the conversation or an effect is awaited', () => {
    expect(asks(undefined, ODD_NAME)).toBeUndefined();
    expect(asks(at('name', 'handover'), ODD_NAME)).toBeUndefined();
    expect(asks({ ...at('name'), pendingEffect: { type: 'check_identity' } }, ODD_NAME)).toBeUndefined();
  });

  it('the rules’ reading is in the same act schema', () => {
    const readings = [
      rulesActs('name', '王秀兰', ctx),
      rulesActs('name', ODD_NAME, ctx),
      rulesActs('householdSize', '俺跟老伴带着孙女', ctx),
      rulesActs('place', '枣园镇东鲁村', ctx),
      rulesActs('consent', '查吧，俺不怕查', ctx),
      rulesActs('name', '得准备些啥证件？', ctx),
      rulesActs('name', '找个真人', ctx),
    ];
    for (const acts of readings) for (const a of acts) expect(TurnAct.parse(a)).toEqual(a);
    expect(readings.map((acts) => acts.map((a) => [a.act, a.field, a.value, a.topic]))).toEqual([
      [['answer', 'name', '王秀兰', null]],
      [['off_topic', null, null, null]],
      [['answer', 'householdSize', '3', null]],
      [['answer', 'place', '枣园镇东鲁村', null]],
      [['affirm', null, null, null]],
      [['question', null, null, 'documents']],
      [['request_human', null, null, null]],
    ]);
  });
});
