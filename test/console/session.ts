import type { Response } from 'light-my-request';
import type { StaffKey, World } from '../staff/world.js';

/** A signed-in console user driven through app.inject: cookies kept, CSRF token taken from each page's forms. */
export type ConsoleSession = {
  cookies: Record<string, string>;
  get(url: string): Promise<Response>;
  /** Posts a form with the CSRF token of the last page fetched (as a browser would). */
  post(url: string, form: Record<string, string>): Promise<Response>;
};

function keep(jar: Record<string, string>, res: Response): void {
  for (const c of res.cookies as { name: string; value: string }[]) jar[c.name] = c.value;
}

const header = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error('page has no CSRF token');
  return m[1];
}

export async function openConsole(w: World): Promise<ConsoleSession> {
  const jar: Record<string, string> = {};
  let token = '';
  const session: ConsoleSession = {
    cookies: jar,
    async get(url) {
      const res = await w.env.app.inject({ method: 'GET', url, headers: { cookie: header(jar), accept: 'text/html' } });
      keep(jar, res);
      if (/name="_csrf"/.test(res.body)) token = csrfOf(res.body);
      return res;
    },
    async post(url, form) {
      const res = await w.env.app.inject({
        method: 'POST',
        url,
        headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
      });
      keep(jar, res);
      if (/name="_csrf"/.test(res.body)) token = csrfOf(res.body);
      return res;
    },
  };
  return session;
}

/** Signs in with the staff member's token from `hotline staff add`. */
export async function signIn(w: World, who: StaffKey): Promise<ConsoleSession> {
  const s = await openConsole(w);
  await s.get('/console/login');
  const res = await s.post('/console/login', { token: w.token[who] });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return s;
}
