import type { LoadedDirectory } from '../directory/store.js';
import { localDate, localDateTime } from '../staff/local-dates.js';

/** Dates and times as township staff read them: the county's local time, YYYY-MM-DD HH:mm. */
export const dateTime = (directory: LoadedDirectory, iso: string | Date | null | undefined) => (iso ? localDateTime(directory, new Date(iso)) : '—');
export const dateOnly = (directory: LoadedDirectory, iso: string | Date | null | undefined) => (iso ? localDate(directory, new Date(iso)) : '—');

/** Time left (or over) in words: 剩余2天3小时, 超期5小时. */
export function timeLeft(ms: number | null): string {
  if (ms === null) return '';
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时${minutes}分` : `${minutes}分钟`;
  return ms >= 0 ? `剩余${span}` : `超期${span}`;
}

export const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/**
 * The Chinese half of a bilingual error message ("中文 / English"); a message with no Chinese in it (a developer's
 * error that reached a page) gives `fallback` instead, so staff never read English.
 */
export function chinese(message: string, fallback = '无法完成操作，请检查后重试；如仍不行请联系系统管理员。'): string {
  const first = message.split(' / ')[0] ?? message;
  return /[\u4e00-\u9fff]/.test(first) ? first : fallback;
}
