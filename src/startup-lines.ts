import type { Config } from './config.js';

/**
 * What a person starting the hotline needs to read first: where the console is, and which channels are on
 * (and, when one is off, the settings that turn it on). Plain lines, before any log output.
 */
export function startupLines(config: Config): string[] {
  const base = config.http.publicBaseUrl.replace(/\/+$/, '');
  const twilio = config.twilio;
  const numbers = twilio ? [twilio.numbers.civil, twilio.numbers.service].filter((n): n is string => !!n) : [];
  return [
    `staff console: ${base}/console (sign-in accounts: npx hotline staff add --help)`,
    ...publicUrlLines(config),
    twilio
      ? `SMS and voice (Twilio): on${numbers.length > 0 ? ` for ${numbers.join(', ')}` : ''}; webhooks ${base}/channels/twilio/sms and ${base}/channels/twilio/voice`
      : 'SMS and voice (Twilio): off (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to turn them on)',
    config.wecom
      ? `WeCom: on; callback ${base}/channels/wecom/callback`
      : 'WeCom: off (set WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY to turn it on)',
    config.llm ? `LLM: ${config.llm.model} at ${config.llm.baseUrl}, beside the rules` : 'LLM: off (the rules and the learned model decide; LLM_BASE_URL and LLM_MODEL add one)',
    'simulated resident: npx hotline sim',
  ];
}

/** When PUBLIC_BASE_URL is no address a staff phone can open: what that means for staff notices, and what to set. */
function publicUrlLines(config: Config): string[] {
  const { publicUrlProblem: problem, publicBaseUrl: base, staffLinks } = config.http;
  if (!problem) return [];
  const why = problem === 'unset' ? 'PUBLIC_BASE_URL is not set' : `PUBLIC_BASE_URL (${base}) is this machine`;
  const fix = 'set PUBLIC_BASE_URL to the address staff and the providers reach the hotline at, e.g. https://hotline.example.gov.cn';
  return staffLinks
    ? [`staff notices: link to ${base}, which opens on this machine only (a demo); ${fix}`]
    : [`staff notices: sent without links, because ${why} and a staff phone cannot open it; they tell staff to open the console instead. To link them, ${fix}`];
}
