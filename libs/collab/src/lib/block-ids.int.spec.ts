import { BLOCK_ID_PATTERN, blocksNeedingIds, parseUpdateV1 } from '@concord/content';
import * as Y from 'yjs';
import { appendParagraph, contentEvents, eventually, sleep, textOf, useCollabHarness, users } from '../testing/collab-harness';
import { CONTENT_UPDATED } from './persistence/content-events';
import { SYSTEM_USER_ID } from './persistence/content-writer';

jest.setTimeout(30_000);

const idsOf = (content: Y.XmlFragment): unknown[] =>
  content.toArray().map((node) => (node instanceof Y.XmlElement ? node.getAttribute('id') : undefined));

/**
 * The server keeps block ids true for every client (libs/content `block-ids.ts`): a stock y-websocket
 * client writes paragraphs without ids, or copies one with its id, and may go on writing; the server
 * answers with ids of its own in an update of its own ('numbering', by 'system').
 */
describe('stable block ids kept by the server', () => {
  const harness = useCollabHarness();

  it('gives a paragraph written without an id one, in an update of its own that every client receives', async () => {
    const server = await harness.startServer();
    const plain = harness.connect(server, 'p-ids', users.drafter1);
    const other = harness.connect(server, 'p-ids', users.drafter2);
    await Promise.all([plain.synced, other.synced]);

    appendParagraph(plain.content, 'Written by a plain Yjs client', { id: false });
    await eventually(() => typeof idsOf(plain.content)[0] === 'string' && typeof idsOf(other.content)[0] === 'string');
    const [id] = idsOf(plain.content) as string[];
    expect(id).toMatch(BLOCK_ID_PATTERN);
    expect(idsOf(other.content)).toEqual([id]);

    const updates = (await contentEvents(server.store, 'p-ids')).filter((event) => event.type === CONTENT_UPDATED);
    expect(updates.map((event) => [event.metadata['revision'], event.metadata.userId, event.metadata['kind']])).toEqual([
      [1, users.drafter1.userId, 'edit'],
      [2, SYSTEM_USER_ID, 'numbering'],
    ]);
    // The repair's structs are its own client's, none of the writer's.
    const repairClients = new Set(parseUpdateV1(updates[1].data as Uint8Array).structs.map((struct) => struct.client));
    expect(repairClients.has(plain.doc.clientID)).toBe(false);

    // The plain client stays able to write, and a paragraph that has its id is left alone.
    appendParagraph(plain.content, 'and goes on writing', { id: false });
    appendParagraph(other.content, 'from the editor, with its id');
    await eventually(() => blocksNeedingIds(plain.doc).length === 0 && textOf(plain.content).split('\n').length === 3);
    await eventually(() => textOf(other.content) === textOf(plain.content) && blocksNeedingIds(other.doc).length === 0);
    await sleep(200);
    const all = (await contentEvents(server.store, 'p-ids')).filter((event) => event.type === CONTENT_UPDATED);
    expect(all.filter((event) => event.metadata['kind'] === 'numbering')).toHaveLength(2);
    expect(new Set(idsOf(plain.content)).size).toBe(3);
  });

  it('renumbers a copied paragraph that arrives with an id the document already has; the original keeps it', async () => {
    const server = await harness.startServer();
    const client = harness.connect(server, 'p-ids-copy', users.drafter1);
    await client.synced;
    appendParagraph(client.content, 'Original');
    await eventually(async () => (await contentEvents(server.store, 'p-ids-copy')).length === 1);
    const original = idsOf(client.content)[0] as string;

    const copy = new Y.XmlElement('paragraph');
    copy.setAttribute('id', original);
    copy.insert(0, [new Y.XmlText('Original')]);
    client.content.insert(1, [copy]);
    await eventually(() => idsOf(client.content)[1] !== original);
    expect(idsOf(client.content)[0]).toBe(original);
    expect(idsOf(client.content)[1]).toMatch(BLOCK_ID_PATTERN);
    const kinds = (await contentEvents(server.store, 'p-ids-copy')).map((event) => event.metadata['kind']);
    expect(kinds).toEqual(['edit', 'edit', 'numbering']);
  });

  it('writes nothing more when every block already has its own id', async () => {
    const server = await harness.startServer();
    const client = harness.connect(server, 'p-ids-quiet', users.drafter1);
    await client.synced;
    for (let index = 0; index < 5; index++) appendParagraph(client.content, `paragraph ${index}`);
    await eventually(async () => (await contentEvents(server.store, 'p-ids-quiet')).length === 5);
    await sleep(200);
    const kinds = (await contentEvents(server.store, 'p-ids-quiet')).map((event) => event.metadata['kind']);
    expect(kinds).toEqual(['edit', 'edit', 'edit', 'edit', 'edit']);
  });
});
