import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { matchPlace } from '../dialogs/understand/index.js';
import { loadDirectoryFile } from '../directory/load.js';
import { evaluate, formatReport, parseEvalLines } from '../routing/eval.js';
import { classifyWithFallback, createLlmClassifier } from '../routing/llm.js';
import { planReferrals } from '../routing/plan.js';

/** `hotline classify` and `hotline eval routing`: the routing rules on their own, no database needed. */
export function registerRoutingCommands(program: Command, config: () => Config): void {
  const llmFor = (c: Config) =>
    c.llm ? createLlmClassifier({ ...c.llm, warn: (m) => console.error(`hotline: LLM not used: ${m}`) }) : undefined;

  program
    .command('classify')
    .argument('<text>', 'what the resident said, in their own words')
    .description('classify a text: categories with confidence and reason, urgency, agencies, township (JSON)')
    .action(async (text: string) => {
      const c = config();
      const directory = await loadDirectoryFile(c.countyFile);
      const classification = await classifyWithFallback(text, llmFor(c));
      const place = matchPlace(text, directory);
      const planned = planReferrals({ classification, townshipCode: place.township?.code, directory, caseType: 'application' });
      const unitName = (u: (typeof planned)[number]['unit']) =>
        u.kind === 'township' ? directory.townships.find((t) => t.code === u.code)?.name : directory.agencies.find((a) => a.code === u.code)?.name;
      console.log(
        JSON.stringify(
          {
            categories: classification.categories.map(({ code, confidence, reason }) => ({ code, confidence, reason })),
            urgent: classification.urgent,
            urgentReason: classification.urgentReason ?? null,
            agencies: [...new Set(planned.filter((p) => p.unit.kind !== 'township').map((p) => unitName(p.unit)))],
            township: place.township?.name ?? null,
            referrals: planned.map((p) => ({ category: p.category, role: p.role, step: p.step, unit: unitName(p.unit) ?? p.unit.code })),
            source: classification.source,
          },
          null,
          2,
        ),
      );
    });

  program
    .command('eval')
    .description('evaluations')
    .command('routing')
    .argument('<file>', 'JSON lines: {"text": "...", "expect": ["code", ...], "urgent": true|false}')
    .description('top-1 accuracy, urgent recall and precision, confusion summary; last line is machine-readable')
    .action(async (file: string) => {
      const c = config();
      const lines = parseEvalLines(await readFile(file, 'utf8'));
      const llm = llmFor(c);
      console.log(formatReport(await evaluate(lines, (t) => classifyWithFallback(t, llm))));
    });
}
