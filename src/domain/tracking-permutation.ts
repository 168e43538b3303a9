import { createCipheriv, createHmac } from 'node:crypto';

/**
 * A keyed permutation of a day's counter range [0, 100000): five decimal digits, split 2 + 3 and mixed by a ten-round
 * Feistel network of alternating halves (the layout of NIST FF1 with radix 10). Every round adds a keyed value to one
 * half modulo its size, so each round, and the whole, is a bijection: numbers of a day never collide, and without the
 * key the next one cannot be told from the last. Each day has its own permutation (its round tables come from
 * HMAC(key, day)), so one day's numbers tell nothing of another's.
 */

export const PERMUTED_DIGITS = 5;
export const PERMUTED_RANGE = 10 ** PERMUTED_DIGITS;
const LEFT = 100; // 2 digits
const RIGHT = 1000; // 3 digits
const ROUNDS = 10;

type Tables = Uint32Array[];

/** Round tables: even rounds read the 3-digit half, odd rounds the 2-digit half. */
function tablesFor(key: Buffer, day: string): Tables {
  const dayKey = createHmac('sha256', key).update(`tracking-number:${day}`).digest();
  const sizes = Array.from({ length: ROUNDS }, (_, i) => (i % 2 === 0 ? RIGHT : LEFT));
  const bytes = sizes.reduce((a, b) => a + b, 0) * 4;
  // AES-CTR of zeros under the day's key: one call gives every round's values.
  const stream = createCipheriv('aes-256-ctr', dayKey, Buffer.alloc(16)).update(Buffer.alloc(bytes));
  let offset = 0;
  return sizes.map((n) => {
    const t = new Uint32Array(n);
    for (let j = 0; j < n; j++, offset += 4) t[j] = stream.readUInt32BE(offset);
    return t;
  });
}

/** The permutation of one day, tables built once and reused for every number of that day. */
export function dayPermutation(key: Buffer, day: string): { forward(x: number): number; backward(y: number): number } {
  const t = tablesFor(key, day);
  return {
    forward(x) {
      if (!Number.isInteger(x) || x < 0 || x >= PERMUTED_RANGE) throw new RangeError(`counter ${x} outside [0, ${PERMUTED_RANGE})`);
      let a = Math.floor(x / RIGHT); // 2 digits
      let b = x % RIGHT; // 3 digits
      for (let i = 0; i < ROUNDS; i++) {
        const m = i % 2 === 0 ? LEFT : RIGHT;
        const c = (a + (t[i]![b]! % m)) % m;
        a = b;
        b = c;
      }
      return a * RIGHT + b;
    },
    backward(y) {
      let a = Math.floor(y / RIGHT);
      let b = y % RIGHT;
      for (let i = ROUNDS - 1; i >= 0; i--) {
        const m = i % 2 === 0 ? LEFT : RIGHT;
        const prev = b;
        b = a;
        a = (((prev - (t[i]![b]! % m)) % m) + m) % m;
      }
      return a * RIGHT + b;
    },
  };
}
