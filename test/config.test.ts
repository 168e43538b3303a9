import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
};

describe('configuration', () => {
  it('has defaults that work on this machine', () => {
    const c = parseConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/hotline');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.twilio).toBeUndefined();
    expect(c.wecom).toBeUndefined();
    expect(c.llm).toBeUndefined();
    expect(c.dataKey).toHaveLength(32);
    expect(c.dataKeyIsDevDefault).toBe(true);
  });

  it('PORT overrides the port and the public URL loses its trailing slash', () => {
    const c = parseConfig({ PORT: '8080', PUBLIC_BASE_URL: 'https://hotline.example.org/' });
    expect(c.http.port).toBe(8080);
    expect(c.http.publicBaseUrl).toBe('https://hotline.example.org');
  });

  it('names every invalid variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', PUBLIC_BASE_URL: 'not a url', WECOM_REPLAY_WINDOW_S: '-1' });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(problems.join('\n')).toMatch(/PUBLIC_BASE_URL/);
    expect(problems.join('\n')).toMatch(/WECOM_REPLAY_WINDOW_S/);
    expect(problems).toHaveLength(4);
  });

  it('requires the rest of a provider group once part of it is set', () => {
    const problems = problemsOf({ TWILIO_ACCOUNT_SID: 'AC123' });
    expect(problems).toEqual(['TWILIO_AUTH_TOKEN: is required when Twilio is configured (TWILIO_ACCOUNT_SID set)']);
    expect(problemsOf({ WECOM_CORP_ID: 'ww1', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'short' }).join()).toMatch(
      /WECOM_ENCODING_AES_KEY: must be the 43-character EncodingAESKey/,
    );
  });

  it('refuses a malformed data key and requires one in production', () => {
    expect(problemsOf({ DATA_KEY: 'abc' }).join()).toMatch(/DATA_KEY: must be 32 bytes/);
    expect(problemsOf({ NODE_ENV: 'production' }).join()).toMatch(/DATA_KEY: is required in production/);
  });

  it('treats an LLM as optional: absent means rules only', () => {
    expect(parseConfig({ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'qwen' }).llm).toMatchObject({ model: 'qwen', apiKey: 'none' });
    expect(problemsOf({ LLM_BASE_URL: 'http://127.0.0.1:9/v1' })).toEqual([
      'LLM_MODEL: is required when an LLM is configured (LLM_BASE_URL set)',
    ]);
  });
});
