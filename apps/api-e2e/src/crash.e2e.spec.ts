/**
 * Durability: an acknowledged command survives a SIGKILL. A stream of commands (named versions on
 * the three demo proposals, user registrations by the admin) runs with several requests in flight;
 * the server is SIGKILLed in the middle; after a restart on the same DATA_DIR every command that got
 * a 2xx is in the log (audit endpoint and the SQLite file) and in the read models, and the hash
 * chains verify.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiClient, ApiProcess, ok, sleep, startApi } from './support/api-process';

type Command =
  | { kind: 'version'; proposalId: string; label: string }
  | { kind: 'user'; email: string; password: string };

interface Outcome {
  command: Command;
  status: number | 'no-response';
}

const CONCURRENCY = 8;
/** Kill once this many commands were acknowledged (so a good part of the stream is done). */
const ACKS_BEFORE_KILL = 60;

describe('SIGKILL during a stream of commands (sqlite)', () => {
  let server: ApiProcess;
  let drafter: ApiClient;
  let chair: ApiClient;
  let admin: ApiClient;
  let proposalIds: string[];
  const outcomes: Outcome[] = [];
  let inFlightAtKill = 0;

  beforeAll(async () => {
    server = await startApi({ name: 'crash' });
    drafter = server.api(await server.login('drafter1'));
    chair = server.api(await server.login('chair'));
    admin = server.api(await server.login('admin'));
    proposalIds = ok(await chair.get<Array<{ id: string }>>('/api/proposals')).map((p) => p.id);
    expect(proposalIds).toHaveLength(3);

    let next = 0;
    let acknowledged = 0;
    let inFlight = 0;
    let killed = false;
    const commandAt = (index: number): Command =>
      index % 4 === 3
        ? { kind: 'user', email: `crash-${index}@example.org`, password: `password-${index}-long` }
        : { kind: 'version', proposalId: proposalIds[index % 3], label: `crash-${index}` };
    const send = (command: Command) =>
      command.kind === 'version'
        ? drafter.post(`/api/proposals/${command.proposalId}/versions`, { revision: 1, label: command.label })
        : admin.post('/api/users', { email: command.email, name: `Crash ${command.email}`, password: command.password });

    const worker = async () => {
      while (!killed) {
        const command = commandAt(next++);
        inFlight++;
        let status: Outcome['status'] = 'no-response';
        try {
          status = (await send(command)).status;
        } catch {
          status = 'no-response';
        } finally {
          inFlight--;
        }
        outcomes.push({ command, status });
        if (typeof status === 'number' && status >= 200 && status < 300) acknowledged++;
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, () => worker());
    const deadline = Date.now() + 60_000;
    while (acknowledged < ACKS_BEFORE_KILL && Date.now() < deadline) await sleep(5);
    inFlightAtKill = inFlight;
    killed = true;
    await server.kill();
    await Promise.all(workers);
    await server.start();
  });

  const acked = () => outcomes.filter((o) => typeof o.status === 'number' && o.status >= 200 && o.status < 300);

  it('killed the server with requests in flight after many acknowledged commands', () => {
    expect(acked().length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(outcomes.some((o) => o.status === 'no-response')).toBe(true);
    // Nothing but success, a dropped connection, or 409 for two concurrent commands on one
    // proposal (optimistic concurrency: the loser is told to retry, nothing is written for it).
    expect(outcomes.filter((o) => o.status !== 'no-response' && o.status !== 409 && (o.status as number) >= 300)).toEqual([]);
  });

  it('keeps every acknowledged named version (REST after restart)', async () => {
    const versionsByProposal = new Map<string, Set<string>>();
    for (const id of proposalIds) {
      const detail = ok(await chair.get(`/api/proposals/${id}`));
      versionsByProposal.set(id, new Set(detail.versions.map((v: { label: string }) => v.label)));
    }
    const missing = acked()
      .map((o) => o.command)
      .filter((c): c is Extract<Command, { kind: 'version' }> => c.kind === 'version')
      .filter((c) => !versionsByProposal.get(c.proposalId)?.has(c.label));
    expect(missing).toEqual([]);
  });

  it('keeps every acknowledged user registration (they can sign in and are listed)', async () => {
    const users = acked()
      .map((o) => o.command)
      .filter((c): c is Extract<Command, { kind: 'user' }> => c.kind === 'user');
    expect(users.length).toBeGreaterThan(0);
    const listed = new Set(ok(await admin.get<Array<{ email: string }>>('/api/users')).map((u) => u.email));
    expect(users.filter((u) => !listed.has(u.email)).map((u) => u.email)).toEqual([]);
    for (const user of users) {
      const response = await server.api().post('/api/auth/login', { email: user.email, password: user.password });
      expect({ email: user.email, status: response.status }).toEqual({ email: user.email, status: 200 });
    }
  });

  it('has every acknowledged command in the event log (audit endpoint and the SQLite file)', async () => {
    const events: Array<{ stream: string; type: string; data: Record<string, unknown> }> = [];
    for (const type of ['VersionNamed', 'UserRegistered']) {
      let after: number | null = 0;
      while (after !== null) {
        const page: { items: typeof events; next: number | null } = ok(await admin.get(`/api/audit/events?type=${type}&limit=500&after=${after}`));
        events.push(...page.items);
        after = page.next;
      }
    }
    const labels = new Set(events.filter((e) => e.type === 'VersionNamed').map((e) => `${e.stream}|${String(e.data['label'])}`));
    const emails = new Set(events.filter((e) => e.type === 'UserRegistered').map((e) => String(e.data['email'])));

    const db = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true, fileMustExist: true });
    let fileLabels: Set<string>;
    let fileEmails: Set<string>;
    try {
      const rows = db.prepare(`SELECT stream, type, CAST(data AS TEXT) AS data FROM events WHERE type IN ('VersionNamed', 'UserRegistered')`).all() as Array<{
        stream: string;
        type: string;
        data: string;
      }>;
      fileLabels = new Set(rows.filter((r) => r.type === 'VersionNamed').map((r) => `${r.stream}|${JSON.parse(r.data).label}`));
      fileEmails = new Set(rows.filter((r) => r.type === 'UserRegistered').map((r) => String(JSON.parse(r.data).email)));
    } finally {
      db.close();
    }

    for (const { command } of acked()) {
      if (command.kind === 'version') {
        const key = `proposal-${command.proposalId}|${command.label}`;
        expect({ key, inAudit: labels.has(key), inFile: fileLabels.has(key) }).toEqual({ key, inAudit: true, inFile: true });
      } else {
        expect({ email: command.email, inAudit: emails.has(command.email), inFile: fileEmails.has(command.email) }).toEqual({
          email: command.email,
          inAudit: true,
          inFile: true,
        });
      }
    }
    // A command refused with 409 wrote nothing.
    const refused = outcomes.filter((o) => o.status === 409).map((o) => o.command);
    for (const command of refused) {
      if (command.kind === 'version') expect(fileLabels.has(`proposal-${command.proposalId}|${command.label}`)).toBe(false);
    }
    // The read models agree with the log, including commands whose response was lost.
    const restLabels = new Set<string>();
    for (const id of proposalIds) {
      for (const v of ok(await chair.get(`/api/proposals/${id}`)).versions as Array<{ label: string }>) restLabels.add(`proposal-${id}|${v.label}`);
    }
    expect([...restLabels].sort()).toEqual([...fileLabels].sort());
  });

  it('verifies every hash chain after the crash', async () => {
    const report = ok(await admin.get('/api/audit/verify'));
    expect(report).toMatchObject({ ok: true, firstBreak: null });
    expect(report.eventsChecked).toBeGreaterThan(ACKS_BEFORE_KILL);
    const health = await server.health();
    expect(health.readModelPosition).toBe(health.headPosition);
  });

  it('lets a registration cut off by the crash be completed (no email left reserved without a user)', async () => {
    const cutOff = outcomes
      .filter((o) => o.status === 'no-response')
      .map((o) => o.command)
      .filter((c): c is Extract<Command, { kind: 'user' }> => c.kind === 'user');
    const results: Array<{ email: string; retry: number; signIn: number }> = [];
    for (const user of cutOff) {
      const retry = await admin.post('/api/users', { email: user.email, name: `Crash ${user.email}`, password: user.password });
      const signIn = await server.api().post('/api/auth/login', { email: user.email, password: user.password });
      results.push({ email: user.email, retry: retry.status, signIn: signIn.status });
    }
    // Either the retry registers the user (201) or the first attempt had (409): the user exists either way.
    const burnt = results.filter((r) => ![201, 409].includes(r.retry) || r.signIn !== 200);
    expect({ cutOff: results.length, burnt }).toEqual({ cutOff: results.length, burnt: [] });
  });

  it('keeps accepting commands after the restart', async () => {
    const response = await drafter.post(`/api/proposals/${proposalIds[0]}/versions`, { revision: 1, label: 'after-restart' });
    expect(response.status).toBe(200);
    expect(response.body.versions.map((v: { label: string }) => v.label)).toContain('after-restart');
  });
});
