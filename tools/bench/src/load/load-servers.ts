/**
 * The servers of the load benchmark, each in a process of its own with server-probe.cjs preloaded:
 * the memory-only relay (memory-relay.ts), and the built Concord API (dist/apps/api/main.js, fresh
 * DATA_DIR, DEMO=1) on SQLite (one node) or on PostgreSQL (two nodes on a fresh database).
 * Each target also gets its D proposals, created through the REST API as a drafter would.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { LoadTargetKind } from './load-accounting';
import type { Credential } from './load-protocol';

export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const API_MAIN = join(WORKSPACE_ROOT, 'dist/apps/api/main.js');
const PROBE = join(__dirname, 'server-probe.cjs');
const DEMO_PASSWORD = 'concord-demo';
const READY_TIMEOUT_MS = 90_000;

/** One server process and where its probe writes. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly probeFile: string;
  /** Log lines (warnings or worse) after start-up; a healthy run has none. */
  warningLines(): string[];
}

export interface LoadTarget {
  readonly kind: LoadTargetKind;
  readonly description: string;
  readonly editorUrl: string;
  readonly observerUrl: string;
  readonly proposalIds: readonly string[];
  /** Editor e of every document connects with editorCredential(e). */
  editorCredential(editor: number): Credential;
  readonly observerCredential: Credential;
  readonly servers: readonly ServerProcess[];
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startMemoryRelay(directory: string): Promise<LoadTarget> {
  const probeFile = join(directory, 'probe-memory.ndjson');
  const child = fork(join(__dirname, 'memory-relay.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-r', PROBE],
    env: { ...process.env, BENCH_PROBE_FILE: probeFile, TS_NODE_PROJECT: process.env['TS_NODE_PROJECT'] ?? join(__dirname, '..', '..', 'tsconfig.app.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`memory relay exited (${code})`)));
    child.on('message', (message: { kind: string; url?: string }) => {
      if (message.kind === 'listening' && message.url) resolveUrl(message.url);
    });
  });
  let warnings: string[] = [];
  child.on('message', (message: { kind: string; warnings?: number; errors?: number }) => {
    if (message.kind === 'log' && (message.warnings || message.errors)) warnings = [`${message.warnings} warnings, ${message.errors} errors logged`];
  });
  return {
    kind: 'memory',
    description: 'memory-only relay: createCollabServer on MemoryEventStore, its own process',
    editorUrl: url,
    observerUrl: url,
    proposalIds: [],
    editorCredential: (editor) => ({ kind: 'token', token: `editor${editor}` }),
    observerCredential: { kind: 'token', token: 'observer' },
    servers: [{ name: 'memory relay', pid: child.pid ?? 0, probeFile, warningLines: () => warnings }],
    async close() {
      if (child.connected) child.send({ kind: 'exit' });
      await Promise.race([new Promise((done) => child.once('exit', done)), sleep(5_000)]);
      await stopChild(child);
    },
  };
}

interface ApiNode {
  readonly process: ServerProcess;
  readonly baseUrl: string;
  readonly collabUrl: string;
  stop(): Promise<void>;
}

async function startApiNode(name: string, directory: string, env: Record<string, string>): Promise<ApiNode> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build the api first (NX_DAEMON=false npx nx build api), or leave out the Concord targets (--load-targets=memory)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(directory, `${name}-data-`));
  const probeFile = join(directory, `probe-${name}.ndjson`);
  const processEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    CHECKPOINT_INTERVAL_MS: '0',
    BENCH_PROBE_FILE: probeFile,
    ...env,
  };
  delete processEnv['NODE_OPTIONS'];
  delete processEnv['TS_NODE_PROJECT'];
  const child = spawn(process.execPath, ['-r', PROBE, API_MAIN], { cwd: WORKSPACE_ROOT, env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const warnings: string[] = [];
  let banner = false;
  let partial = '';
  const onData = (chunk: Buffer): void => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.includes('Concord is running at')) banner = true;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      // LOG_LEVEL=warn: every JSON log line is a warning or worse.
      if ((line.startsWith('{') || /warn|error/i.test(line)) && warnings.length < 50) warnings.push(line.slice(0, 400));
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${lines.slice(-40).join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not healthy within ${READY_TIMEOUT_MS / 1000} s:\n${lines.slice(-40).join('\n')}`);
    }
    if (banner) {
      try {
        if ((await fetch(`${baseUrl}/api/health`)).status === 200) break;
      } catch {
        // not listening yet
      }
    }
    await sleep(100);
  }
  const startupWarnings = warnings.length;
  return {
    process: { name, pid: child.pid ?? 0, probeFile, warningLines: () => warnings.slice(startupWarnings) },
    baseUrl,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    stop: () => stopChild(child),
  };
}

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function login(baseUrl: string, user: string): Promise<string> {
  return (await call<{ accessToken: string }>(baseUrl, 'POST', '/api/auth/login', { email: `${user}@concord.demo`, password: DEMO_PASSWORD })).accessToken;
}

/** D fresh proposals in the first demo submission, created by drafter1 through the REST API. */
async function createProposals(baseUrl: string, token: string, count: number): Promise<string[]> {
  const listed = await call<Array<{ submissionId: string }>>(baseUrl, 'GET', '/api/proposals', undefined, token);
  if (listed.length === 0) throw new Error('the demo workspace lists no proposal (DEMO=1?)');
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await call<{ id: string }>(baseUrl, 'POST', '/api/proposals', { submissionId: listed[0].submissionId, title: `Load ${index + 1}`, kind: 'policy', gcmObjectives: [1] }, token);
    ids.push(created.id);
  }
  return ids;
}

export async function startSqliteTarget(directory: string, docs: number): Promise<LoadTarget> {
  const node = await startApiNode('sqlite', directory, { DEMO: '1', EVENT_STORE: 'sqlite' });
  try {
    const drafter1 = await login(node.baseUrl, 'drafter1');
    const drafter2 = await login(node.baseUrl, 'drafter2');
    const proposalIds = await createProposals(node.baseUrl, drafter1, docs);
    const ticket = (accessToken: string): Credential => ({ kind: 'ticket', httpBase: node.baseUrl, accessToken });
    return {
      kind: 'sqlite',
      description: 'Concord (dist/apps/api/main.js) on SQLite, one node, fresh DATA_DIR, DEMO=1',
      editorUrl: node.collabUrl,
      observerUrl: node.collabUrl,
      proposalIds,
      editorCredential: (editor) => ticket(editor % 2 === 0 ? drafter1 : drafter2),
      observerCredential: ticket(drafter2),
      servers: [node.process],
      close: () => node.stop(),
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** Two nodes on a fresh PostgreSQL database (the event store writes to `public`, so a fresh schema is not enough). */
export async function startPostgresTarget(directory: string, docs: number, databaseUrl: string): Promise<LoadTarget> {
  const suffix = randomBytes(5).toString('hex');
  const database = `concord_bench_${suffix}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  const env = { EVENT_STORE: 'postgres', DATABASE_URL: url.toString(), DATABASE_SCHEMA: `bench_rm_${suffix}` };
  const nodes: ApiNode[] = [];
  const dropDatabase = async (): Promise<void> => {
    const dropper = new Client({ connectionString: databaseUrl });
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
  const close = async (): Promise<void> => {
    for (const node of nodes) await node.stop();
    await dropDatabase();
  };
  try {
    nodes.push(await startApiNode('postgres-a', directory, { ...env, DEMO: '1', NODE_ID: 'node-a' }));
    nodes.push(await startApiNode('postgres-b', directory, { ...env, DEMO: '0', NODE_ID: 'node-b' }));
    const [nodeA, nodeB] = nodes;
    const drafter1 = await login(nodeA.baseUrl, 'drafter1');
    const drafter2 = await login(nodeA.baseUrl, 'drafter2');
    const observer = await login(nodeB.baseUrl, 'drafter2');
    const proposalIds = await createProposals(nodeA.baseUrl, drafter1, docs);
    // Node B authorizes from its own read models: wait until it knows every proposal.
    const deadline = Date.now() + 60_000;
    for (const id of proposalIds) {
      for (;;) {
        try {
          await call(nodeB.baseUrl, 'GET', `/api/proposals/${id}`, undefined, observer);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(100);
        }
      }
    }
    return {
      kind: 'postgres',
      description: 'Concord on PostgreSQL, two nodes (fresh database): editors on node A, observers on node B',
      editorUrl: nodeA.collabUrl,
      observerUrl: nodeB.collabUrl,
      proposalIds,
      editorCredential: (editor) => ({ kind: 'ticket', httpBase: nodeA.baseUrl, accessToken: editor % 2 === 0 ? drafter1 : drafter2 }),
      observerCredential: { kind: 'ticket', httpBase: nodeB.baseUrl, accessToken: observer },
      servers: nodes.map((node) => node.process),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ProbeLine {
  readonly t: number;
  readonly loop: { readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly cpuMs: number;
  readonly tx: Record<string, { count: number; ms: number; max: number }>;
  readonly pg: Record<string, { count: number; ms: number; max: number }>;
}

export function readProbe(file: string): ProbeLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as ProbeLine];
      } catch {
        return []; // a line still being written
      }
    });
}

export function scratchDirectory(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'concord-load-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
