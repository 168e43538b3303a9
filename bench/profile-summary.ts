/**
 * Where a CPU profile's time went (a .cpuprofile from bench/profile-paths.ts --profile, or node --cpu-prof), per
 * request: self time by function and by module, and the time under chosen functions (inclusive, counted once however
 * deep they recurse).
 *
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile REQUESTS [--top 40] [--under name,…] [--callers name,…]
 *
 * REQUESTS: how many requests the profiled run answered (figures are ms per request); 1 gives total ms.
 */
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const top = Number(opt('--top') ?? 40);
const under = (opt('--under') ?? '').split(',').filter(Boolean);
const callersOf = (opt('--callers') ?? '').split(',').filter(Boolean);
const [file, requestsArg] = args;
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile REQUESTS [--top N] [--under fn,fn]');
const requests = Number(requestsArg ?? 1) || 1;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:').replace(/.*\/work\/main\//, '');
const moduleOf = (url: string) => {
  const s = short(url);
  if (!s) return '(native/vm)';
  const nm = /^nm:((?:@[^/]+\/)?[^/]+)/.exec(s);
  return nm ? `nm:${nm[1]}` : s.startsWith('node:') ? s : s;
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const ms = (us: number) => (us / 1000 / requests).toFixed(3);
const table = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v).padStart(8)} ms/req ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled, ${requests} requests, ${ms(total)} ms/req`);
const selfByFn = new Map<string, number>();
const selfByModule = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + us);
  const m = moduleOf(n.callFrame.url) || n.callFrame.functionName;
  selfByModule.set(m, (selfByModule.get(m) ?? 0) + us);
}
table('self time by module', selfByModule);
table('self time by function', selfByFn);

// Inclusive time: every function on a sample's stack, once per sample.
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const l = label(byId.get(n)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}
table('inclusive time by function (project code and named library entry points)', new Map([...inclusive].filter(([k]) => !k.startsWith('(') && !/^\S+ :/.test(k))));
for (const name of under) {
  const hits = [...inclusive].filter(([k]) => k.startsWith(`${name} `));
  for (const [k, v] of hits) console.log(`under ${k}: ${ms(v)} ms/req`);
}

/**
 * --callers fn: the time under `fn` split by the chain of project functions (src/…) that called it, nearest first
 * (up to three), so a library cost is traced back to the code that asked for it.
 */
for (const name of callersOf) {
  const chains = new Map<string, number>();
  for (const [id, us] of selfUs) {
    let hit: number | undefined;
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) if (byId.get(n)!.callFrame.functionName === name) hit = n;
    if (hit === undefined) continue;
    const chain: string[] = [];
    for (let n = parent.get(hit); n !== undefined && chain.length < 3; n = parent.get(n)) {
      const node = byId.get(n)!;
      if (short(node.callFrame.url).startsWith('src/')) chain.push(label(node));
    }
    const key = chain.join(' ← ') || '(no project caller)';
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  table(`under ${name}, by project callers`, chains);
}
