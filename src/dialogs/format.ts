import type { CountyDirectory, Duration } from '../directory/schema.js';

/** How places, time limits and dates are said to residents. */

export interface Place {
  townshipCode?: string | undefined;
  villageCode?: string | undefined;
  address?: string | undefined;
}

export function townshipName(dir: CountyDirectory, code: string | undefined): string | undefined {
  return dir.townships.find((t) => t.code === code)?.name;
}

export function placeText(dir: CountyDirectory, p: Place): string {
  const township = dir.townships.find((t) => t.code === p.townshipCode);
  const village = township?.villages.find((v) => v.code === p.villageCode);
  // The understanding module's address starts at the place name ("东鲁村3组12号"): do not say it twice.
  const names = [township?.name, village?.name].filter((n): n is string => !!n && !p.address?.includes(n));
  return [...names, p.address ?? ''].join('');
}

export function durationText(d: Duration): string {
  return 'hours' in d ? `${d.hours}小时` : `${d.workingDays}个工作日`;
}

/** "2026-12-20" → "12月20日": residents do not need the year for dates weeks away. */
export function dateText(isoDate: string): string {
  const [, month, day] = isoDate.split('-').map(Number);
  return `${month}月${day}日`;
}

/** The window that contacts the resident: the township's when known, else the county's. */
export function windowName(dir: CountyDirectory, townshipCode: string | undefined): string {
  const township = townshipName(dir, townshipCode);
  return township ? `${township}社会救助窗口` : dir.county.window.name;
}
