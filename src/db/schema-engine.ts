/**
 * Prisma's schema engine (the part behind `prisma migrate`) driven in-process
 * from its WebAssembly build, because the stock CLI downloads a native engine
 * binary from a host this machine cannot reach.
 *
 * The engine talks to PostgreSQL through `@prisma/adapter-pg`. Three
 * behaviours of the installed adapter (7.10.1) are wrong for migrations and
 * are corrected here rather than worked around by callers:
 *  - its `executeScript` splits scripts on every `;` (breaking semicolons in
 *    strings, comments and function bodies) and runs the pieces one by one,
 *    so a failing migration leaves half its statements applied. We send the
 *    whole script as one simple-protocol query instead, which PostgreSQL runs
 *    as a single implicit transaction, as the native engine does.
 *  - it rejects result columns of PostgreSQL's internal `"char"` type, which
 *    the engine's schema describer reads from the catalogs, so every diff
 *    that inspects a database failed with "Column type 'char' could not be
 *    deserialized". We report those columns as text.
 *  - its `connectToShadowDb` creates the shadow database but, given a
 *    connection string, connects back to the main database (the string
 *    overrides the `database` field), so the shadow replay ran against the
 *    real database. We create, connect to and drop shadow databases ourselves.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

export type { SchemaEngine, SchemaFilter };

/** No externally managed tables or enums: Prisma owns the whole schema. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** One structured log line the engine emits (tracing JSON). */
export interface EngineLogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

export interface OpenSchemaEngineOptions {
  /** postgresql:// URL of the database the engine works on, without a `schema` parameter. */
  connectionString: string;
  /** PostgreSQL schema holding the tables and `_prisma_migrations`; default `public`. */
  schema?: string;
  /** Prisma schema files the engine should know about (only needed by some commands). */
  datamodels?: Array<{ path: string; content: string }>;
  onLog?: (line: EngineLogLine) => void;
}

export interface OpenedSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine, ends every pool it used and drops leftover shadow databases. Idempotent. */
  close(): Promise<void>;
}

type WasmBindings = typeof wasmBindings & { __wbg_set_wasm(exports: WebAssembly.Exports): void };

let wasmReady: Promise<WasmBindings> | undefined;

/**
 * Instantiates the engine's WebAssembly module once per process. The
 * package's own entry point imports the `.wasm` file as an ES module, which
 * Node 20 refuses, so we do by hand what that entry point does.
 */
export function loadSchemaEngineWasm(): Promise<WasmBindings> {
  wasmReady ??= (async () => {
    const bindings = wasmBindings as WasmBindings;
    // The package's exports map does not expose the .wasm file; it sits next to the bindings.
    const bindingsPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(bindingsPath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': withTrackedTimers(bindings as unknown as WebAssembly.ModuleImports),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })().catch((error: unknown) => {
    wasmReady = undefined; // let a later call retry instead of caching the failure
    throw new Error(`Could not load @prisma/schema-engine-wasm: ${errorText(error)}`);
  });
  return wasmReady;
}

/**
 * Timers the engine started and has not seen fire. It arms timeouts (e.g. 10 s
 * for the migration advisory lock) and never clears them, which kept every CLI
 * run alive 10 s after its work was done. Once no engine is open nothing can
 * be waiting on them, so they are cleared then.
 */
const pendingTimers = new Set<NodeJS.Timeout>();
let openEngines = 0;

function withTrackedTimers(imports: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const name = Object.keys(imports).find((key) => key.startsWith('__wbg_setTimeout_'));
  if (!name) return imports;
  const trackedSetTimeout = (callback: () => void, ms: number) => {
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      callback();
    }, ms >>> 0);
    pendingTimers.add(timer);
    return timer;
  };
  return { ...imports, [name]: trackedSetTimeout };
}

function engineClosed(): void {
  openEngines -= 1;
  if (openEngines > 0) return;
  for (const timer of pendingTimers) clearTimeout(timer);
  pendingTimers.clear();
}

/** Opens an engine; the caller must `close()` it (see `withSchemaEngine`). */
export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<OpenedSchemaEngine> {
  const bindings = await loadSchemaEngineWasm();
  const factory = new PgMigrationAdapterFactory(options.connectionString, options.schema ?? 'public');
  const onLog = options.onLog;
  const datamodels = (options.datamodels ?? []).map((file): [string, string] => [file.path, file.content]);
  let engine: SchemaEngine;
  openEngines += 1;
  try {
    engine = await bindings.SchemaEngine.new(
      { datamodels: datamodels.length > 0 ? datamodels : undefined },
      (json: string) => onLog?.(parseLogLine(json)),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (error) {
    try {
      await factory.close();
    } finally {
      engineClosed();
    }
    throw new Error(`Schema engine could not start: ${engineErrorText(error)}`);
  }
  let closed = false;
  return {
    engine,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      try {
        await factory.close();
      } finally {
        engineClosed();
      }
    },
  };
}

/** Runs `work` with an engine and always releases it, so CLI processes exit on their own. */
export async function withSchemaEngine<T>(
  options: OpenSchemaEngineOptions,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const opened = await openSchemaEngine(options);
  try {
    return await work(opened.engine);
  } finally {
    await opened.close();
  }
}

/**
 * The engine's error message without the span trace it appends
 * ("   0: sql_schema_connector::... at schema-engine/..."), which names Rust
 * source files and says nothing to someone running a migration.
 */
export function engineErrorText(error: unknown): string {
  const text = errorText(error);
  const lines = text.split('\n');
  const traceStart = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  const kept = traceStart === -1 ? lines : lines.slice(0, traceStart);
  return kept
    .filter((line) => line.trim() !== '' && line.trim() !== 'external connector error')
    .join('\n')
    .trim();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseLogLine(json: string): EngineLogLine {
  try {
    const parsed = JSON.parse(json) as { level?: string; fields?: Record<string, unknown> };
    const fields = parsed.fields ?? {};
    return { level: parsed.level ?? 'INFO', message: String(fields.message ?? ''), fields };
  } catch {
    return { level: 'INFO', message: json.trim(), fields: {} };
  }
}

/** Rewrites `connectionString` to point at another database on the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Double-quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The driver-adapter factory the engine receives. Every pool it opens is
 * tracked so `close()` can end it: the engine frees itself synchronously and
 * does not wait for adapters to be disposed.
 */
class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  private readonly pools = new Set<pg.Pool>();
  private readonly shadowDatabases = new Set<string>();

  constructor(
    private readonly connectionString: string,
    private readonly schema: string,
  ) {}

  async connect(): Promise<SqlDriverAdapter> {
    const pool = this.openPool(this.connectionString, this.schema);
    return this.adapterOn(pool, this.schema, () => this.endPool(pool));
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await this.onServer(`CREATE DATABASE ${quoteIdent(database)}`);
    this.shadowDatabases.add(database);
    // The shadow database is fresh, so migrations replay into its `public` schema.
    const pool = this.openPool(withDatabase(this.connectionString, database), 'public');
    return this.adapterOn(pool, 'public', async () => {
      await this.endPool(pool);
      await this.dropShadowDatabase(database);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools].map((pool) => this.endPool(pool)));
    for (const database of [...this.shadowDatabases]) await this.dropShadowDatabase(database);
  }

  private openPool(connectionString: string, schema: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString,
      // The engine qualifies its own catalog queries with the adapter's schema but
      // runs migration scripts and creates `_prisma_migrations` unqualified, so the
      // session's search_path must name the same schema.
      options: `-c search_path=${quoteIdent(schema)}`,
      // A pool someone forgot to end must not keep a CLI process alive.
      allowExitOnIdle: true,
    });
    pool.on('connect', reportCharAsText);
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => {});
    this.pools.add(pool);
    return pool;
  }

  private async endPool(pool: pg.Pool): Promise<void> {
    if (!this.pools.delete(pool)) return;
    await pool.end();
  }

  private async adapterOn(pool: pg.Pool, schema: string, release: () => Promise<void>): Promise<SqlDriverAdapter> {
    const inner = await new PrismaPg(pool, { schema }).connect();
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
      getConnectionInfo: () => inner.getConnectionInfo?.() ?? { schemaName: schema, supportsRelationJoins: true },
      async executeScript(script: string) {
        try {
          await pool.query(script);
        } catch (error) {
          throw asDriverAdapterError(error);
        }
      },
      async dispose() {
        await inner.dispose();
        await release();
      },
    };
  }

  /** Runs one statement that must not run inside a transaction (CREATE/DROP DATABASE). */
  private async onServer(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  private async dropShadowDatabase(database: string): Promise<void> {
    if (!this.shadowDatabases.delete(database)) return;
    // FORCE (PostgreSQL 13+) ends sessions a crashed replay may have left behind.
    await this.onServer(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  }
}

/** Makes columns of PostgreSQL's one-byte `"char"` type look like text to the adapter. */
function reportCharAsText(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const patched = (...args: unknown[]): unknown => {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => last(error, error ? result : charAsText(result));
      return query(...args);
    }
    const returned = query(...args);
    return returned instanceof Promise ? returned.then(charAsText) : returned;
  };
  (client as unknown as { query: typeof patched }).query = patched;
}

function charAsText<T>(result: T): T {
  // A multi-statement query resolves to one result per statement.
  for (const one of Array.isArray(result) ? result : [result]) {
    const fields = (one as Partial<pg.QueryResult> | undefined)?.fields;
    if (!fields) continue;
    for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

/** Gives the engine PostgreSQL's own error for a failed script, as it reports query errors. */
function asDriverAdapterError(error: unknown): unknown {
  if (error instanceof pg.DatabaseError) {
    return new DriverAdapterError({
      kind: 'postgres',
      code: error.code ?? 'unknown',
      severity: error.severity ?? 'ERROR',
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
    });
  }
  return error;
}
