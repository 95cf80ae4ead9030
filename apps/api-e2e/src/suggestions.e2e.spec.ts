/**
 * Suggest-only writing, enforced by the server (issue 12 point 4), with the STOCK y-websocket
 * client against the real server (SQLite, demo): a delegate's update is recorded only when every
 * change is a suggestion marked as theirs; a mark naming someone else is refused for everyone; a
 * drafter's plain edit still works, and a drafter accepts a suggestion by lifting its mark.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { bodyParagraph as firstBodyParagraph, CollabClient, connectClient } from './support/collab-client';

const bodyParagraph = (client: CollabClient) => firstBodyParagraph(client.content);

const AT = '2026-12-06T10:00:00.000Z';

function heard(client: CollabClient): string[] {
  const refusals: string[] = [];
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
  };
  return refusals;
}

describe('suggest-only writing with the stock client (sqlite, demo)', () => {
  let server: ApiProcess;
  const tokens: Record<string, string> = {};
  const rest: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};
  let proposalId: string;

  const revision = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}`)).currentRevision as number;
  const recordedText = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}/revisions/${await revision()}`)).text as string;
  const lastAuthor = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}/revisions?after=${(await revision()) - 1}&limit=1`)).items[0].userId as string;

  beforeAll(async () => {
    server = await startApi({ name: 'suggestions' });
    for (const who of ['delegate1', 'delegate2', 'drafter1']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get('/api/auth/me')).id;
    }
    proposalId = ok(await rest['drafter1'].get<Array<{ id: string }>>('/api/proposals'))[0].id;
  });

  /** A fresh stock client of `who`, synced, with what the server tells it. */
  async function client(who: string) {
    const connection = connectClient(server.collabUrl, proposalId, tokens[who]);
    const refusals = heard(connection);
    await connection.synced;
    return { connection, refusals, paragraph: bodyParagraph(connection) };
  }

  async function expectRefused(who: string, change: (paragraph: Y.XmlText) => void, reason: RegExp) {
    const { connection, refusals, paragraph } = await client(who);
    const before = (await server.health()).headPosition;
    change(paragraph);
    await eventually(() => refusals.length > 0, { what: `${who} is told` });
    expect(refusals[0]).toMatch(reason);
    await sleep(300);
    expect((await server.health()).headPosition).toBe(before);
    expect(connection.provider.wsconnected).toBe(true);
    connection.close();
  }

  it('refuses a delegate inserting unmarked text: told, nothing recorded', () =>
    expectRefused('delegate1', (p) => p.insert(0, 'UNMARKED ', {}), /^invalid: Only suggestions are recorded for you/));

  it('refuses a delegate writing a suggestion mark that names drafter1', () =>
    expectRefused('delegate1', (p) => p.insert(0, 'FORGED ', { suggestionInsert: { id: 'x1', authorId: ids['drafter1'], at: AT } }), /^invalid: Only suggestions/));

  it('refuses a delegate deleting words (they may only mark them for deletion)', () =>
    expectRefused('delegate1', (p) => p.delete(0, 5), /^invalid: Only suggestions/));

  it('records a delegate’s own suggestions — proposed words and a deletion mark — attributed to them', async () => {
    const { connection, refusals, paragraph } = await client('delegate1');
    const before = await revision();
    paragraph.insert(0, 'Indeed, ', { suggestionInsert: { id: 'd1-1', authorId: ids['delegate1'], at: AT } });
    await eventually(async () => (await revision()) > before, { what: 'the suggestion recorded' });
    expect(await lastAuthor()).toBe(ids['delegate1']);
    paragraph.format(8, 8, { suggestionDelete: { id: 'd1-2', authorId: ids['delegate1'], at: AT } });
    await eventually(async () => (await revision()) > before + 1, { what: 'the deletion mark recorded' });
    expect(refusals).toEqual([]);
    expect(await recordedText()).toContain('Indeed, ');
    connection.close();
  });

  it('lets a drafter edit plainly and accept the suggestion, but not forge one in a delegate’s name', async () => {
    const { connection, refusals, paragraph } = await client('drafter1');
    const before = await revision();
    paragraph.insert(0, 'Plainly: ', {});
    await eventually(async () => (await revision()) > before, { what: 'the plain edit recorded' });
    // Accept delegate1's proposed words: lift the mark, keep the words.
    const at = paragraph.toString().indexOf('Indeed');
    expect(at).toBeGreaterThan(-1);
    paragraph.format(9, 8, { suggestionInsert: null });
    await eventually(async () => (await revision()) > before + 1, { what: 'the acceptance recorded' });
    expect(refusals).toEqual([]);
    connection.close();
    await expectRefused('drafter1', (p) => p.insert(0, 'FORGED ', { suggestionInsert: { id: 'x2', authorId: ids['delegate2'], at: AT } }), /^invalid: A suggestion may only name its own author/);
  });
});
