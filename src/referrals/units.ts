import type { LoadedDirectory } from '../directory/store.js';
import type { UnitKind } from '../generated/prisma/enums.js';

/** A township, agency or the county window, with the ids a Referral row stores and the people to tell. */
export interface Unit {
  kind: UnitKind;
  code: string;
  name: string;
  agencyId: string | null;
  townshipId: string | null;
  /** WeCom user ids of the unit's staff. */
  staff: string[];
  /** WeCom user id of the unit's head, told when a referral is urged (催办). */
  head: string | undefined;
}

export function countyWindow(loaded: LoadedDirectory): Unit {
  const { window } = loaded.directory.county;
  const host = loaded.directory.agencies.find((a) => a.code === window.agency);
  return {
    kind: 'county_window',
    code: window.agency,
    name: window.name,
    agencyId: loaded.agencyId(window.agency) ?? null,
    townshipId: null,
    staff: window.wecomUserIds,
    head: host?.headWecomUserId,
  };
}

/** The unit a planned referral names, or undefined when the directory does not know it. */
export function resolveUnit(loaded: LoadedDirectory, unit: { kind: UnitKind; code: string }): Unit | undefined {
  const dir = loaded.directory;
  if (unit.kind === 'county_window') return unit.code === dir.county.window.agency ? countyWindow(loaded) : undefined;
  if (unit.kind === 'agency') {
    const agency = dir.agencies.find((a) => a.code === unit.code);
    const id = loaded.agencyId(unit.code);
    if (!agency || !id) return undefined;
    return { kind: 'agency', code: agency.code, name: agency.name, agencyId: id, townshipId: null, staff: agency.wecomUserIds, head: agency.headWecomUserId };
  }
  const township = dir.townships.find((t) => t.code === unit.code);
  const id = loaded.townshipId(unit.code);
  if (!township || !id) return undefined;
  return { kind: 'township', code: township.code, name: township.name, agencyId: null, townshipId: id, staff: township.wecomUserIds, head: undefined };
}

// Directory lookups go from code to id; referrals store ids, so the reverse maps are built once per directory.
const reverse = new WeakMap<LoadedDirectory, { agencies: Map<string, string>; townships: Map<string, string> }>();

function codesById(loaded: LoadedDirectory) {
  let maps = reverse.get(loaded);
  if (!maps) {
    maps = { agencies: new Map(), townships: new Map() };
    for (const a of loaded.directory.agencies) {
      const id = loaded.agencyId(a.code);
      if (id) maps.agencies.set(id, a.code);
    }
    for (const t of loaded.directory.townships) {
      const id = loaded.townshipId(t.code);
      if (id) maps.townships.set(id, t.code);
    }
    reverse.set(loaded, maps);
  }
  return maps;
}

/** The unit a stored referral is assigned to; a unit since removed from the directory falls back to the county window. */
export function unitOfReferral(loaded: LoadedDirectory, r: { unitKind: UnitKind; agencyId: string | null; townshipId: string | null }): Unit {
  const maps = codesById(loaded);
  const code = r.unitKind === 'township' ? r.townshipId && maps.townships.get(r.townshipId) : r.agencyId && maps.agencies.get(r.agencyId);
  return (code && resolveUnit(loaded, { kind: r.unitKind, code })) || countyWindow(loaded);
}

export function townshipName(loaded: LoadedDirectory, townshipId: string | null): string | undefined {
  if (!townshipId) return undefined;
  const code = codesById(loaded).townships.get(townshipId);
  return loaded.directory.townships.find((t) => t.code === code)?.name;
}

export function categoryName(loaded: LoadedDirectory, category: string): string {
  return loaded.directory.categories.find((c) => c.code === category)?.name ?? category;
}
