/**
 * Residents with real-format personal data for the webhook suites (robustness, privacy, end to end): valid
 * 18-digit ID numbers (GB 11643 check character), distinct mobile numbers, and
 * the SMS turns of a complete assistance application (as in the e2e test).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const NAMES = ['王秀英', '李桂兰', '张建国', '刘玉梅', '陈志强', '杨淑珍', '赵德明', '黄桂芳', '周国华', '吴秀兰', '徐建华', '孙丽娟'];

function idNumber(n: number): string {
  // Born 1940-01-01 plus n days (n < 20,000 stays in the past), sequence number from n: unique and valid.
  const birth = new Date(Date.UTC(1940, 0, 1) + n * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `371302${birth}${String(100 + (n % 900)).padStart(3, '0')}`;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + CHECK[sum % 11];
}

export type Resident = { phone: string; digits: string; id: string; name: string };

/** `count` (< 400) residents; `series` (< 50) keeps suites apart so their numbers never collide in one log scan. */
export function residents(count: number, series: number): Resident[] {
  return Array.from({ length: count }, (_, i) => {
    const digits = `139${String(series).padStart(2, '0')}${String(i).padStart(6, '0')}`;
    return { phone: `+86${digits}`, digits, id: idNumber(series * 400 + i), name: NAMES[i % NAMES.length]! };
  });
}

/**
 * The turns of an application by SMS, ending with the confirming "对" that opens the case: the contact number, the
 * relation, consent, "没有" to the routine safety question before the read-back, then the confirmation.
 */
export const applicationTurns = (r: Resident) => [
  `我叫${r.name}，身份证${r.id}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`,
  '是',
  '1',
  '同意',
  '没有',
  '对',
];

export const trackingNumberIn = (text: string) => /承办编号[：:]\s*([0-9A-Z-]+)/.exec(text)?.[1];
