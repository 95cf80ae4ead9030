/**
 * Audit scope (issue 9 point 7) on the real server: an auditor of one workspace re-checks and gets
 * checkpoint proofs for that workspace's streams only; the platform administrator sees every stream.
 * A second workspace, a user and their auditor role are created through the API by the admin.
 */
import { verifyStreamHeadInclusion } from '@concord/integrity';
import { ApiClient, ApiProcess, ok, startApi } from './support/api-process';

interface Proof {
  head: { stream: string; revision: number; hash: string };
  leafIndex: number;
  treeSize: number;
  auditPath: string[];
}
interface Checkpoint {
  globalPosition: number;
  merkleRoot: string;
  streamCount: number;
  heads?: { stream: string }[];
  proofs?: Proof[];
}

const OTHER = 'e2e-puebla-process';

describe('audit scope (sqlite, demo)', () => {
  let server: ApiProcess;
  let admin: ApiClient;
  let auditorA: ApiClient;
  let auditorB: ApiClient;
  let drafter: ApiClient;

  beforeAll(async () => {
    // Checkpoints signed every 300 ms, so one covers the second workspace.
    server = await startApi({ name: 'audit-scope', env: { CHECKPOINT_INTERVAL_MS: '300' } });
    admin = server.api(await server.login('admin'));
    ok(await admin.post('/api/workspaces', { id: OTHER, abbreviation: 'RCM', name: 'Regional Conference on Migration (e2e)', type: 'RCP' }));
    const password = 'Quetzal-ledger-7-harbour';
    const { userId } = ok(await admin.post<{ userId: string }>('/api/users', { email: 'auditor.b@e2e.example', name: 'Auditor B', password }));
    ok(await admin.post(`/api/workspaces/${OTHER}/members`, { userId, role: 'auditor' }));
    auditorA = server.api(await server.login('auditor'));
    auditorB = server.api(await server.login('auditor.b@e2e.example', password));
    drafter = server.api(await server.login('drafter1'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** The newest checkpoint that covers the second workspace's stream, as the admin sees it. */
  async function checkpointCoveringOther(): Promise<Checkpoint> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const list = ok(await admin.get<{ items: Checkpoint[] }>('/api/audit/checkpoints'));
      for (const item of list.items) {
        const full = ok(await admin.get<Checkpoint>(`/api/audit/checkpoints/${item.globalPosition}`));
        if (full.heads?.some((head) => head.stream === `iscm-${OTHER}`)) return full;
      }
      if (Date.now() > deadline) throw new Error('no checkpoint covers the second workspace');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('re-checks only the streams of the workspaces an auditor audits; the admin re-checks all', async () => {
    const all = ok(await admin.get<{ ok: boolean; streamsChecked: number }>('/api/audit/verify'));
    const ofA = ok(await auditorA.get<{ ok: boolean; streamsChecked: number }>('/api/audit/verify'));
    const ofB = ok(await auditorB.get<{ ok: boolean; streamsChecked: number }>('/api/audit/verify'));
    expect([all.ok, ofA.ok, ofB.ok]).toEqual([true, true, true]);
    // Workspace B holds one stream (iscm-<B>); A holds the demo's workspace, submission and proposals.
    expect(ofB.streamsChecked).toBe(1);
    expect(ofA.streamsChecked).toBeGreaterThan(1);
    // The admin also checks user and email-reservation streams, which belong to no workspace.
    expect(all.streamsChecked).toBeGreaterThan(ofA.streamsChecked + ofB.streamsChecked);
    // `cached` does not hand a scoped caller the admin's whole-log report.
    expect(ok(await auditorB.get<{ streamsChecked: number }>('/api/audit/verify?cached=true')).streamsChecked).toBe(1);
    expect((await drafter.get('/api/audit/verify')).status).toBe(403);
  });

  it("gives a workspace auditor the signed root with inclusion proofs for that workspace's streams only", async () => {
    const full = await checkpointCoveringOther();
    expect(full.proofs).toBeUndefined();
    expect(full.heads).toHaveLength(full.streamCount);

    const forA = ok(await auditorA.get<Checkpoint>(`/api/audit/checkpoints/${full.globalPosition}`));
    const forB = ok(await auditorB.get<Checkpoint>(`/api/audit/checkpoints/${full.globalPosition}`));
    for (const scoped of [forA, forB]) {
      expect(scoped).toMatchObject({ merkleRoot: full.merkleRoot, streamCount: full.streamCount });
      expect(scoped.heads).toBeUndefined();
      for (const proof of scoped.proofs ?? []) expect(verifyStreamHeadInclusion(proof, full.merkleRoot, full.streamCount)).toBe(true);
    }
    expect(forB.proofs?.map((proof) => proof.head.stream)).toEqual([`iscm-${OTHER}`]);
    const streamsOfA = forA.proofs?.map((proof) => proof.head.stream) ?? [];
    expect(streamsOfA).toContain('iscm-abu-dhabi-dialogue');
    expect(streamsOfA.some((stream) => stream.startsWith('proposal-'))).toBe(true);
    // Nothing of the other workspace, nor of users and email reservations, reaches auditor A.
    expect(JSON.stringify(forA)).not.toContain(OTHER);
    expect(streamsOfA.filter((stream) => stream.startsWith('user-'))).toEqual([]);
  });
});
