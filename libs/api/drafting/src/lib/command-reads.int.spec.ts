import { Test, TestingModule } from '@nestjs/testing';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findIscm } from '@concord/reference';
import { PlatformModule, Principal, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { ChangeWorkspaceCommand, IdentityModule, RegisterUserCommand } from '@concord/api/identity';
import { CollabModule } from '@concord/api/collab';
import { DraftingModule } from './drafting.module';
import { ProposalsController } from './proposals/proposals.controller';
import { SubmissionsController } from './submissions/submissions.controller';

/**
 * How often one REST command reads the read model's row of what it acts on (the whole app's modules,
 * in-memory log, SQLite read models; `query` is only counted, it runs for real). The facts a
 * command is decided with are read once, with the caller's visibility; the answer is read once after.
 */
describe('reads of the read model per command', () => {
  const SYSTEM: Principal = { userId: 'system', email: 'system@concord.local', name: 'Seed', isAdmin: true, sessionId: 'seed' };
  let dataDir: string;
  let moduleRef: TestingModule;
  let db: ReadModelDatabase;
  let drafter: Principal;
  let outsider: Principal;
  const env = { ...process.env };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-command-reads-'));
    Object.assign(process.env, { EVENT_STORE: 'memory', DATA_DIR: dataDir, DEMO: '', REDIS_URL: '' });
    moduleRef = await Test.createTestingModule({ imports: [PlatformModule, IdentityModule, DraftingModule, CollabModule] }).compile();
    await moduleRef.init();
    db = moduleRef.get(READ_MODEL_DATABASE);
    const bus = moduleRef.get(CommandBus);
    const register = async (key: string): Promise<Principal> => {
      const email = `${key}@reads.example`;
      const { userId } = await bus.execute(new RegisterUserCommand(email, key, 'a long enough password', false, SYSTEM));
      return { userId, email, name: key, isAdmin: false, sessionId: `${key}-session` };
    };
    drafter = await register('drafter');
    outsider = await register('outsider');
    const iscm = findIscm('abu-dhabi-dialogue');
    if (!iscm) throw new Error('reference data lacks abu-dhabi-dialogue');
    await bus.execute(
      new ChangeWorkspaceCommand({ type: 'RegisterWorkspace', data: { iscmId: iscm.id, abbreviation: iscm.abbreviation, name: iscm.name, type: iscm.type, actor: SYSTEM } }),
    );
    await bus.execute(new ChangeWorkspaceCommand({ type: 'AddMember', data: { iscmId: iscm.id, userId: drafter.userId, role: 'drafter', actor: SYSTEM } }));
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    process.env = env;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `act` and counts the queries whose SQL matches `table` (all of them, and those that read one row by id). */
  async function readsDuring(act: () => Promise<unknown>, rowRead: RegExp): Promise<{ total: number; row: number }> {
    const spy = jest.spyOn(db, 'query');
    try {
      await act();
      const statements = spy.mock.calls.map(([statement]) => statement.replace(/\s+/g, ' '));
      return { total: statements.length, row: statements.filter((statement) => rowRead.test(statement)).length };
    } finally {
      spy.mockRestore();
    }
  }

  it('a proposal command reads the proposal row twice: its facts before, the answer after', async () => {
    const submissions = moduleRef.get(SubmissionsController);
    const proposals = moduleRef.get(ProposalsController);
    const submission = await submissions.open(
      { iscmId: 'abu-dhabi-dialogue', consultation: 'GCM review', title: 'Reads', dueDate: '2030-01-01' },
      drafter,
    );
    const proposal = await proposals.create({ submissionId: submission.id, title: 'Counted', kind: 'policy', gcmObjectives: [1] } as never, drafter);

    const reads = await readsDuring(
      () => proposals.changeDetails({ id: proposal.id }, { title: 'Counted again' }, drafter),
      /FROM rm_proposals\b.*WHERE (p\.)?id = \?/,
    );
    expect(reads.row).toBe(2);
    expect((await proposals.detail({ id: proposal.id }, drafter)).title).toBe('Counted again');
  });

  it('still answers 404, not 403, to someone with no role in the workspace, and reads the row once', async () => {
    const proposals = moduleRef.get(ProposalsController);
    const [proposal] = await proposals.list(drafter, {});
    let refusal: unknown;
    const reads = await readsDuring(
      () => proposals.changeDetails({ id: proposal.id }, { title: 'Not mine' }, outsider).catch((error) => (refusal = error)),
      /FROM rm_proposals\b.*WHERE (p\.)?id = \?/,
    );
    expect(refusal).toMatchObject({ status: 404, message: expect.stringContaining('no role in its workspace') });
    expect(reads.row).toBe(1);
  });
});
