import net from 'node:net';
import { redisTarget } from './redis.js';

/**
 * Start-up checks that turn an unreachable service into one readable line
 * naming what is missing and how to start it, instead of a stack trace.
 */
function reachable(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

export async function preflight(opts: { databaseUrl: string; redisUrl: string; timeoutMs?: number }): Promise<string[]> {
  const timeout = opts.timeoutMs ?? 3000;
  const pg = new URL(opts.databaseUrl);
  // Behind Sentinel, the first Sentinel is the one asked first.
  const { host: redisHost, port: redisPort } = redisTarget(opts.redisUrl);
  const pgHost = pg.hostname || '127.0.0.1';
  const pgPort = Number(pg.port || 5432);
  const [pgProblem, redisProblem] = await Promise.all([reachable(pgHost, pgPort, timeout), reachable(redisHost, redisPort, timeout)]);
  const problems: string[] = [];
  if (pgProblem) {
    problems.push(
      `PostgreSQL is not reachable at ${pgHost}:${pgPort} (${pgProblem}). Start it (on this machine: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.`,
    );
  }
  if (redisProblem) {
    problems.push(
      `Redis is not reachable at ${redisHost}:${redisPort} (${redisProblem}). Start it (on this machine: redis-server --daemonize yes --port ${redisPort}) or set REDIS_URL.`,
    );
  }
  return problems;
}
