import { parseUpdateV1, updateParseCount, validateYjsUpdate } from '@concord/content';
import * as Y from 'yjs';
import { prepareUpdate } from './update-preparation';

function paragraph(doc: Y.Doc, text: string): void {
  const element = new Y.XmlElement('paragraph');
  element.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('content').push([element]);
}

describe('prepareUpdate', () => {
  it('parses a validated update no second time: validation, no-op check and trimming share one parse', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    paragraph(client, 'hello');
    const before = updateParseCount();
    const validation = validateYjsUpdate(Y.encodeStateAsUpdate(client), { allowedRootTypes: ['content'], doc: server });
    if (!validation.ok) throw new Error(validation.reason);
    const prepared = prepareUpdate(server, Y.encodeStateAsUpdate(client), validation.parsed);
    expect(prepared).not.toBeNull();
    expect(updateParseCount() - before).toBe(1);
  });

  it('derives the ranges of a trimmed update exactly as parsing the trimmed bytes would', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.clientID = 7;
    paragraph(client, 'known part');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    paragraph(client, 'new part');
    client.getXmlFragment('content').delete(0, 1);
    // A reconnecting client's SyncStep2: everything it has, most of which the server holds.
    const full = Y.encodeStateAsUpdate(client);
    const prepared = prepareUpdate(server, full, parseUpdateV1(full));
    if (!prepared) throw new Error('expected a change');
    expect(prepared.update.length).toBeLessThan(full.length);
    const reparsed = parseUpdateV1(prepared.update);
    expect(prepared.structs).toEqual(reparsed.structs.filter((struct) => struct.kind !== 'skip'));
    expect(prepared.deletes).toEqual(reparsed.deletes);
    expect(prepared.clientIds).toEqual([7]);
  });
});
