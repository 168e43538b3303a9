import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { StaffSessions } from '../staff/sessions.js';
import { authenticateSession, staffByToken, type TokenPolicy } from './auth.js';

/**
 * Who may read the operator tools (/metrics, /docs): a signed-in staff member (console session or staff bearer
 * token), a scraper with METRICS_TOKEN, or a client connecting from a listed network (METRICS_ALLOW_FROM). The
 * network is the address of the TCP connection itself, never a forwarded header a client could write.
 */
export type ToolAccess = { token?: string; networks: string[] };

/** "10.0.0.0/8, 127.0.0.1, ::1, fd00::/8" → a BlockList; throws on an entry that is not an address or a subnet. */
export function networkList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const [address = '', bits] = raw.trim().split('/');
    const family = isIP(address);
    if (!family) throw new Error(`"${raw}" is not an IP address or subnet (e.g. 10.0.0.0/8, ::1)`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${raw}" has an invalid prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function fromNetwork(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return list.check(v4, 'ipv4');
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** An onRequest hook that lets the request through only for staff, the configured token, or a listed network. */
export function requireToolAccess(deps: { db: Db; sessions: StaffSessions; policy: TokenPolicy }, access: ToolAccess, opts: { signInPage?: string } = {}) {
  const networks = networkList(access.networks);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer && access.token && sameToken(bearer, access.token)) return;
    if (bearer && (await staffByToken(deps.db, bearer, deps.policy))) return;
    if (fromNetwork(networks, req.socket.remoteAddress)) return;
    try {
      await authenticateSession(deps, req);
      return;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
    req.log.warn({ security: 'tool_refused', url: req.url.split('?')[0], ip: req.socket.remoteAddress }, 'operator tool refused: not signed in, no token, not a listed network');
    if (opts.signInPage && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      return reply.redirect(`/console/login?next=${encodeURIComponent(opts.signInPage)}`, 303);
    }
    return reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: { code: 'unauthorized', message: 'Sign in as staff, or send METRICS_TOKEN as a bearer token, or connect from a network in METRICS_ALLOW_FROM' } });
  };
}
