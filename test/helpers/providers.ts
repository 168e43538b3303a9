import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { TWILIO, WECOM } from './channels.js';
import { createTestEnv, type TestEnv } from './env.js';

export type ProviderWorld = {
  env: TestEnv;
  /** Set when started with `twilio: true`. */
  twilio: FakeTwilio;
  /** Set when started with `wecom: true`. */
  wecom: FakeWecom;
  /** Set when started with `spool`. */
  spoolDir: string;
};

export type ProviderOptions = {
  /** A fake Twilio API, and the app configured for Twilio (test/helpers/channels.ts) and pointed at it. */
  twilio?: boolean;
  /** A fake WeCom API, and the app configured for WeCom and pointed at it. */
  wecom?: boolean;
  /** A fresh spool directory, named from this prefix, as SPOOL_DIR. */
  spool?: string;
  /** More settings (they win over the ones above). */
  env?: Record<string, string>;
  workers?: boolean;
  now?: () => Date;
};

/**
 * The one set-up of a test file that talks to the app through its channels: the fake provider APIs it asks for,
 * started before the file's tests, and the app (createTestEnv) configured to use them; all closed after the tests.
 * The fields of what it returns are filled in once the file's `beforeAll` hooks have run.
 */
export function withProviders(opts: ProviderOptions): ProviderWorld {
  const world = {} as ProviderWorld;
  beforeAll(async () => {
    const settings: Record<string, string> = {};
    if (opts.twilio) {
      world.twilio = await startFakeTwilio({ accountSid: TWILIO.TWILIO_ACCOUNT_SID, authToken: TWILIO.TWILIO_AUTH_TOKEN });
      Object.assign(settings, TWILIO, { TWILIO_API_BASE_URL: world.twilio.url });
    }
    if (opts.wecom) {
      world.wecom = await startFakeWecom({ corpId: WECOM.WECOM_CORP_ID, secret: WECOM.WECOM_SECRET });
      Object.assign(settings, WECOM, { WECOM_API_BASE_URL: world.wecom.url });
    }
    if (opts.spool) {
      world.spoolDir = await mkdtemp(join(tmpdir(), opts.spool));
      settings.SPOOL_DIR = world.spoolDir;
    }
    world.env = await createTestEnv({ ...settings, ...opts.env }, { workers: opts.workers, now: opts.now });
  });
  afterAll(async () => {
    await world.env?.close();
    await world.twilio?.close();
    await world.wecom?.close();
  });
  return world;
}
