/**
 * The import check (npm run check:deps; test/structure/dependencies.test.ts runs it in npm test): dependency-cruiser
 * with .dependency-cruiser.cjs over src/ (no file and no folder reaches itself through its imports), plus circles
 * between the top-level rooms: src/cases, src/jobs, ... and each file directly in src/ counts as one room.
 * Type-only imports count: a circle of types still ties the rooms together.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface DependencyReport {
  /** dependency-cruiser's rule violations (file and folder circles), one line each. */
  violations: string[];
  /** Circles between top-level rooms, each as the rooms in it and the imports that tie them. */
  roomCircles: { rooms: string[]; imports: string[] }[];
  modules: number;
}

/** The room a file of src/ belongs to: its top-level folder, or the file itself when it sits directly in src/. */
export function roomOf(path: string): string | undefined {
  const m = /^src\/([^/]+)(\/)?/.exec(path);
  if (!m) return undefined;
  return m[2] ? `src/${m[1]}` : path;
}

export async function checkDependencies(): Promise<DependencyReport> {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(['src'], { ...options, baseDir: ROOT, validate: true }, undefined, { tsConfig });
  const result = output as ICruiseResult;
  const violations = (result.summary.violations ?? []).map((v) => {
    const path = v.cycle?.length ? [v.from, ...v.cycle.map((c) => (typeof c === 'string' ? c : c.name))] : [v.from, v.to];
    return `${v.rule.name}: ${path.join(' → ')}`;
  });
  return { violations, roomCircles: roomCircles(result), modules: result.modules.length };
}

/** Strongly connected sets of rooms (Tarjan), with the file imports that run between the rooms of each. */
function roomCircles(result: ICruiseResult): DependencyReport['roomCircles'] {
  const edges = new Map<string, Map<string, string[]>>();
  for (const mod of result.modules) {
    const from = roomOf(mod.source);
    if (!from) continue;
    for (const dep of mod.dependencies) {
      const to = roomOf(dep.resolved);
      if (!to || to === from) continue;
      const byRoom = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, byRoom);
      const why = byRoom.get(to) ?? [];
      byRoom.set(to, why);
      why.push(`${mod.source} → ${dep.resolved}${dep.dependencyTypes.includes('type-only') ? ' (type)' : ''}`);
    }
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sets: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const set: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        set.push(w);
      } while (w !== v);
      if (set.length > 1) sets.push(set.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return sets.map((rooms) => ({
    rooms,
    imports: rooms.flatMap((a) => rooms.flatMap((b) => edges.get(a)?.get(b) ?? [])),
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await checkDependencies();
  for (const v of report.violations) console.log(`error ${v}`);
  for (const c of report.roomCircles) {
    console.log(`error room circle: ${c.rooms.join(', ')}`);
    for (const i of c.imports) console.log(`    ${i}`);
  }
  const n = report.violations.length + report.roomCircles.length;
  console.log(`${n === 0 ? 'no circles' : `${n} problem(s)`}: ${report.modules} modules in src/ cruised`);
  process.exitCode = n === 0 ? 0 : 1;
}
