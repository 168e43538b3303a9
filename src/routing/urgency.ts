import { analyse, type Analysis } from './analyse.js';
import { hedged, toldAsPast } from './context.js';
import { EVENT_SIGNALS, LIFE_DANGER, SIGNAL_ADVICE, SIGNAL_KINDS, SIGNAL_LABEL, type CueKind, type SignalKind } from './signals.js';

export type Urgency = {
  urgent: boolean;
  /** Readable Mandarin naming each signal and the words that raised it. */
  reason?: string;
  signals: SignalKind[];
  lifeDanger: boolean;
  mentalHealth: boolean;
};

type Found = { words: string[]; doubtful: boolean };

function note(found: Map<SignalKind, Found>, kind: SignalKind, words: string[], doubtful: boolean): void {
  const prev = found.get(kind);
  if (!prev) found.set(kind, { words: [...new Set(words)], doubtful });
  else {
    prev.words = [...new Set([...prev.words, ...words])];
    // One plain mention outweighs a hedged one.
    prev.doubtful &&= doubtful;
  }
}

/**
 * Urgency from an analysis. Negated words ("没有着火") are dropped; words in a question
 * ("是不是着火了") or hedged ("好像") still flag, marked 疑似: a person decides.
 * Events told as past ("上个月着了火") are dropped; needs (hunger, suicidal talk) never are.
 */
export function urgencyOf({ text, hits }: Analysis): Urgency {
  const found = new Map<SignalKind, Found>();
  const cues = new Map<CueKind, string[]>();
  let vagrantMentioned = false;

  for (const hit of hits) {
    if (hit.polarity === 'negated') continue;
    const asked = hit.polarity === 'asked';
    for (const kind of hit.term.signals) {
      if (!asked && EVENT_SIGNALS.has(kind) && toldAsPast(text, hit.start)) continue;
      note(found, kind, [hit.word], asked || hedged(text, hit.start));
    }
    for (const cue of hit.term.cues) cues.set(cue, [...(cues.get(cue) ?? []), hit.word]);
    if (hit.term.weights.some(([code]) => code === 'vagrant')) vagrantMentioned = true;
  }

  const cue = (kind: CueKind): string[] => cues.get(kind) ?? [];
  if (cues.has('vulnerable') && cues.has('no_care')) note(found, 'alone', [...cue('vulnerable'), ...cue('no_care')], false);
  // A child or an elderly person begging or sleeping rough has nobody caring for them.
  if (cues.has('vulnerable') && vagrantMentioned) note(found, 'alone', cue('vulnerable'), false);
  if (cues.has('serious_illness') && (cues.has('untreated') || cues.has('no_care'))) {
    note(found, 'untreated_illness', [...cue('serious_illness'), ...cue('untreated'), ...cue('no_care')], false);
  }
  if (cues.has('life') && cues.has('hopeless')) note(found, 'self_harm', [...cue('life'), ...cue('hopeless')], false);
  // Cold weather matters to someone without heating or without a roof.
  if (cues.has('cold_weather') && (cues.has('no_heating') || found.has('no_shelter') || vagrantMentioned)) {
    note(found, 'cold', [...cue('cold_weather'), ...cue('no_heating')], false);
  }

  const signals = SIGNAL_KINDS.filter((k) => found.has(k));
  if (signals.length === 0) return { urgent: false, signals, lifeDanger: false, mentalHealth: false };
  const reason = signals
    .map((kind) => {
      const { words, doubtful } = found.get(kind) as Found;
      const advice = SIGNAL_ADVICE[kind];
      return `${doubtful ? '疑似' : ''}${SIGNAL_LABEL[kind]}（命中: ${words.join('、')}）${advice ? `，${advice}` : ''}`;
    })
    .join('；');
  return {
    urgent: true,
    reason,
    signals,
    lifeDanger: signals.some((k) => LIFE_DANGER.has(k)),
    mentalHealth: signals.includes('self_harm'),
  };
}

export function detectUrgency(text: string): Urgency {
  return urgencyOf(analyse(text));
}
