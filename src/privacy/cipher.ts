import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Sensitive personal data at rest: AES-256-GCM for ID numbers, and a keyed
 * HMAC so the same person is found without decrypting anything. Both keys
 * derive from one DATA_KEY so an operator manages a single secret.
 */
export type PersonalDataCipher = {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Stable keyed hash for lookups (same input → same hash; useless without the key). */
  lookupHash(value: string): string;
};

export function createPersonalDataCipher(dataKey: Buffer): PersonalDataCipher {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  const encKey = derive('hotline/pd/enc/v1');
  const macKey = derive('hotline/pd/mac/v1');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
    },
    decrypt(sealed) {
      const [version, body] = sealed.split(':', 2);
      if (version !== 'v1' || !body) throw new AppError('pd_unreadable', 'Stored personal data has an unknown format', 500, true);
      const buf = Buffer.from(body, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new AppError('pd_unreadable', 'Stored personal data cannot be decrypted: is DATA_KEY the key it was written with?', 500, true);
      }
    },
    lookupHash(value) {
      return createHmac('sha256', macKey).update(value.trim().toUpperCase()).digest('hex');
    },
  };
}
