import type { Reply } from '../domain/messages.js';
import type { DialogContext } from './context.js';
import type { Flow, Step } from './state.js';

/** Wording shared by several flows; each flow keeps its own questions. */

/** How a missing or skipped step is named to residents and staff. */
export const STEP_LABELS: Record<Step, string> = {
  menu: '选择服务',
  reason: '困难情况',
  name: '姓名',
  idNumber: '身份证号',
  householdSize: '家庭人口',
  place: '家庭住址',
  phone_confirm: '联系电话',
  phone: '联系电话',
  relation: '替谁申请',
  consent: '授权核对',
  identity_check: '身份核对',
  summary: '最后确认',
  what: '发生了什么',
  where: '事发地点',
  affected: '受影响的人和联系方式',
  danger: '现在有没有危险',
  reporter: '报告人',
  progress_key: '承办编号',
  progress_phone: '联系电话',
  progress_last4: '身份证后四位',
  enquiry_category: '想了解的救助',
  enquiry_answered: '是否申请',
  safety: '安全情况',
};

/** Voice keypad hints; kept with the question so the voice channel can offer the keypad. */
export const KEYPAD = {
  idNumber: '请用电话按键输入身份证号，X用星号代替，输完按井号键',
  phone: '请用电话按键输入号码，输完按井号键',
  consent: '同意请按1，不同意请按2',
  last4: '请用电话按键输入，X用星号代替，输完按井号键',
  trackingNumber: '请用电话按键输入编号里的数字，输完按井号键',
} as const;

export const FLOW_LABELS: Record<Flow, string> = {
  menu: '主菜单',
  emergency: '紧急求助',
  application: '申请救助',
  progress: '查询进度',
  enquiry: '政策咨询',
  handover: '人工服务',
  closed: '已结束',
};

export const ONE_KEY = { kind: 'any', maxDigits: 1 } as const;

export function menuReply(lead = ''): Reply {
  return {
    text: `${lead}请回复数字：1 紧急求助；2 申请救助；3 查询进度；4 政策咨询；0 转人工。也可以直接说您遇到的困难。`,
    speech: `${lead}紧急求助请按1，申请救助请按2，查询进度请按3，政策咨询请按4，转人工请按0。也可以直接说您遇到的困难。`,
    expect: ONE_KEY,
  };
}

export function greeting(ctx: DialogContext): string {
  return `您好，这里是${ctx.directory.county.name}社会救助热线${ctx.directory.county.window.hotline}。`;
}
