import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { matchPlace } from '../dialogs/understand/index.js';
import { loadDirectoryFile } from '../directory/load.js';
import { classify } from '../routing/classify.js';
import { evaluate, formatReport, parseEvalLines } from '../routing/eval.js';
import { compareWithLlm, formatComparison } from '../routing/eval-llm.js';
import { classifyWithFallback, createLlmClassifier } from '../routing/llm.js';
import { planReferrals } from '../routing/plan.js';
import { formatWordScores, scoreWordLists } from '../routing/word-scores.js';

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

  const evalCommand = program.command('eval').description('evaluations');
  evalCommand
    .command('routing')
    .argument('<file>', 'JSON lines: {"text": "...", "expect": ["code", ...], "urgent": true|false}')
    .option('--llm', 'also ask the configured LLM on every line and compare it with the rules and the learned model side by side')
    .description('top-1 accuracy, urgent recall and precision, confusion summary; last line is machine-readable')
    .action(async (file: string, opts: { llm?: boolean }) => {
      const c = config();
      const lines = parseEvalLines(await readFile(file, 'utf8'));
      if (opts.llm) {
        const llm = llmFor(c);
        if (!llm) throw new Error('--llm needs an LLM: set LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY if it wants one)');
        console.log(formatComparison(await compareWithLlm(lines, (t) => classify(t), llm)));
        return;
      }
      console.log(formatReport(await evaluate(lines, (t) => classify(t))));
    });

  evalCommand
    .command('words')
    .argument('<files...>', 'labelled JSON lines, as for eval routing')
    .description('scores each word list of the situation frames on the lines: hits, share urgent, precision when it held')
    .action(async (files: string[]) => {
      const lines = (await Promise.all(files.map(async (f) => parseEvalLines(await readFile(f, 'utf8'))))).flat();
      console.log(formatWordScores(scoreWordLists(lines), lines.length));
    });
}
