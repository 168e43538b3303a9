import { intentOf } from '../intent.js';
import { acknowledgeNoNeed } from '../no-need.js';
import { greeting, menuReply } from '../prompts.js';
import { failed } from '../retry.js';
import { tellsSomething, type ActiveFlow, type FlowHandler, type Said, type Turn } from '../flow-turn.js';

const CHOICES: Readonly<Record<string, ActiveFlow>> = { '1': 'emergency', '2': 'application', '3': 'progress', '4': 'enquiry' };

/** Route to a flow. A menu digit carries nothing else; free text is passed on, since it may already answer questions. */
function route(t: Turn, said: Said): boolean {
  const chosen = CHOICES[said.text];
  if (chosen) {
    t.goto(chosen);
    return true;
  }
  const asked = intentOf(said, t.ctx);
  // Thanks, a word about the line, an offer to help: acknowledged, and the menu stays open for a need. A category
  // named in it says whom it concerns, not an application; asking after a case or a policy goes on as asked.
  if (said.urgency.noNeed && !said.urgency.urgent && (asked === undefined || asked === 'application')) {
    acknowledgeNoNeed(t, said.urgency.noNeed);
    return true;
  }
  const flow = asked ?? (tellsHardship(said) ? 'application' : undefined);
  if (flow) t.goto(flow, said);
  return flow !== undefined;
}

/**
 * A story with no request word ("俺对象又喝多了…俺领着孩子跑出来了") is someone in hardship: take it
 * as an application, whose first words are the reason; urgency was already checked on it.
 */
function tellsHardship(said: Said): boolean {
  return tellsSomething(said) && said.text.replace(/[\s，。！？、,.!?]/g, '').length >= 12;
}

export const menu: FlowHandler = {
  enter(t, said) {
    t.s.step = 'menu';
    if (said && route(t, said)) return;
    t.replies.push(menuReply(greeting(t.ctx)));
  },
  onMessage(t, said) {
    if (route(t, said)) return;
    failed(t, said, '没太明白您的意思。', () => menu.advance(t), { canSkip: false });
  },
  advance(t) {
    t.s.step = 'menu';
    t.replies.push(menuReply());
  },
};
