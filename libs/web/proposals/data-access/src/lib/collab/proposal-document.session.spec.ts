import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import * as Y from 'yjs';
import { authorColor } from './author-color';
import { COLLAB_CONNECTOR } from './collab-connector';
import { FakeCollabConnector } from './fake-collab-connector';
import { CONTENT_FIELD, ProposalDocumentSession, collabServerUrl } from './proposal-document.session';

const AMINA = { id: 'u-amina', name: 'Amina Rahman' };

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** A change typed on this device (any origin other than the provider or the persistence). */
function typeLocally(doc: Y.Doc, text: string): void {
  doc.transact(() => doc.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText(text)]), 'editor');
}

describe('ProposalDocumentSession', () => {
  let connector: FakeCollabConnector;
  let session: ProposalDocumentSession;

  function setUp(stored: ConstructorParameters<typeof FakeCollabConnector>[0] = {}): void {
    connector = new FakeCollabConnector(stored);
    TestBed.configureTestingModule({
      providers: [ProposalDocumentSession, { provide: COLLAB_CONNECTOR, useValue: connector }],
    });
    session = TestBed.inject(ProposalDocumentSession);
  }

  function open(readOnly = false): void {
    session.open({ proposalId: 'p-1', user: AMINA, nextTicket: () => Promise.resolve('ticket-1'), readOnly });
  }

  function flush(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve));
  }

  it('opens the Y.Doc over /collab/<proposal id> with socket tickets, persisted per proposal and user', async () => {
    setUp();
    open();

    const provider = connector.provider;
    expect(provider.serverUrl).toBe(collabServerUrl(TestBed.inject(DOCUMENT)));
    expect(provider.serverUrl).toMatch(/^ws:\/\/.+\/collab$/);
    expect(provider.room).toBe('p-1');
    expect(await provider.nextTicket()).toBe('ticket-1');
    expect(connector.persistences[0].name).toBe('concord:p-1:u-amina');
    expect(session.binding()).toMatchObject({
      proposalId: 'p-1',
      userId: 'u-amina',
      user: { name: 'Amina Rahman', color: authorColor('u-amina') },
      readOnly: false,
    });
    expect(session.binding()?.doc).toBe(provider.doc);
  });

  it('follows the provider into signals: connecting, then connected and ready once synced', () => {
    setUp();
    open();
    expect(session.state()).toBe('connecting');
    expect(session.documentReady()).toBe(false);

    connector.provider.emitStatus('connected');
    Y.applyUpdate(connector.provider.doc, textUpdate('Seeded by the server'), connector.provider);
    connector.provider.emitSync(true);

    expect(session.state()).toBe('connected');
    expect(session.documentReady()).toBe(true);
    expect(session.unsyncedChanges()).toBe(0);
  });

  it('counts local changes until the server acknowledges them as recorded, not changes from the server', () => {
    setUp();
    open();
    const provider = connector.provider;
    provider.emitStatus('connected');
    provider.emitSync(true);
    provider.emitServerStateVector();
    const changesBefore = session.changes();

    window.dispatchEvent(new Event('offline'));
    expect(provider.disconnectCalls).toBe(1);
    expect(session.state()).toBe('offline');

    typeLocally(provider.doc, 'typed offline');
    typeLocally(provider.doc, ' and more');
    Y.applyUpdate(provider.doc, textUpdate('from the server'), provider);
    expect(session.unsyncedChanges()).toBe(2);
    expect(session.changes()).toBe(changesBefore + 3);

    window.dispatchEvent(new Event('online'));
    expect(provider.connectCalls).toBe(1);
    provider.emitStatus('connecting');
    expect(session.state()).toBe('reconnecting');
    provider.emitStatus('connected');
    provider.emitSync(true);
    expect(session.state()).toBe('connected');
    // Synced is not recorded: the server has not acknowledged them yet.
    expect(session.unsyncedChanges()).toBe(2);

    // An acknowledgement that does not cover the local client's clock changes nothing.
    provider.emitServerStateVector(new Map([[provider.doc.clientID, 5]]));
    expect(session.unsyncedChanges()).toBe(2);
    provider.emitServerStateVector();
    expect(session.unsyncedChanges()).toBe(0);
  });

  it('remembers unrecorded changes on the device, and shows them again after a reload', async () => {
    setUp({ update: textUpdate('kept on this device'), values: { unsyncedChanges: 3 } });
    open();
    await flush();

    // Loaded from IndexedDB: something to show before the server answers, with 3 changes pending.
    expect(session.documentReady()).toBe(true);
    expect(session.unsyncedChanges()).toBe(3);

    typeLocally(connector.provider.doc, '!');
    await flush();
    expect(connector.persistences[0].values.get('unsyncedChanges')).toBe(4);

    connector.provider.emitStatus('connected');
    connector.provider.emitSync(true);
    connector.provider.emitServerStateVector();
    await flush();
    expect(session.unsyncedChanges()).toBe(0);
    expect(connector.persistences[0].values.get('unsyncedChanges')).toBe(0);
  });

  it('does not call an empty local copy a document', async () => {
    setUp();
    open();
    await flush();
    expect(session.documentReady()).toBe(false);
  });

  it('reports a refusal and stops reconnecting when the browser comes back online', () => {
    setUp();
    open();
    connector.provider.emitClosed(4403, 'no access');
    expect(session.state()).toBe('refused');
    expect(session.refusal()).toBe('forbidden');

    window.dispatchEvent(new Event('online'));
    expect(connector.provider.connectCalls).toBe(0);
  });

  it('keeps the open document when asked to open the same one again', () => {
    setUp();
    open();
    open();
    expect(connector.providers).toHaveLength(1);
  });

  it('reopens read-only as a new document when the user may no longer edit', () => {
    setUp();
    open(false);
    const first = connector.provider;
    open(true);

    expect(connector.providers).toHaveLength(2);
    expect(first.destroyed).toBe(true);
    expect(session.binding()?.readOnly).toBe(true);
  });

  it('destroys the provider, the local persistence and the doc when closed, and forgets its own caret', () => {
    setUp();
    open();
    const provider = connector.provider;
    const doc = provider.doc;
    const destroyDoc = jest.spyOn(doc, 'destroy');
    provider.awareness.setLocalStateField('user', { name: 'Amina Rahman' });

    session.close();

    expect(provider.destroyed).toBe(true);
    expect(connector.persistences[0].destroyed).toBe(true);
    expect(destroyDoc).toHaveBeenCalled();
    expect(provider.awareness.getLocalState()).toBeNull();
    expect(session.binding()).toBeNull();

    window.dispatchEvent(new Event('offline'));
    expect(provider.disconnectCalls).toBe(0);
  });

  it('closes everything when its injector is destroyed (the page is left)', () => {
    setUp();
    open();
    TestBed.resetTestingModule();
    expect(connector.provider.destroyed).toBe(true);
    expect(connector.persistences[0].destroyed).toBe(true);
  });

  describe('when the server refuses writes', () => {
    /** Connected and synced with the server's text, everything acknowledged. */
    function connectWith(text: string): void {
      const provider = connector.provider;
      provider.emitStatus('connected');
      Y.applyUpdate(provider.doc, textUpdate(text), provider);
      provider.emitSync(true);
      provider.emitServerStateVector();
    }

    it('turns read-only and says why, keeping the document when everything was recorded', () => {
      setUp();
      open();
      connectWith('Recorded text.');
      expect(session.writable()).toBe(true);

      connector.provider.emitPermissionDenied('read-only: The submission has been submitted and is locked.');

      expect(session.writable()).toBe(false);
      expect(session.writeRefusal()).toEqual({ code: 'read-only', message: 'The submission has been submitted and is locked.' });
      expect(connector.providers).toHaveLength(1);
      expect(session.unrecordedEdits()).toBeNull();
    });

    it('replaces unrecorded edits by the recorded text and offers them aside', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      const first = connector.provider;
      typeLocally(first.doc, 'Typed after the lock. ');
      expect(session.unsyncedChanges()).toBe(1);

      first.emitPermissionDenied('read-only: The submission has been submitted and is locked.');
      await flush();

      expect(first.destroyed).toBe(true);
      expect(connector.cleared).toEqual(['concord:p-1:u-amina']);
      expect(connector.providers).toHaveLength(2);
      const fresh = connector.provider;
      expect(fresh.doc).not.toBe(first.doc);
      expect(session.binding()?.doc).toBe(fresh.doc);
      expect(session.writable()).toBe(false);
      expect(session.writeRefusal()?.code).toBe('read-only');
      expect(session.unrecordedEdits()).toEqual({ local: ['Typed after the lock. ', 'Recorded text.'], recorded: null });

      // The fresh copy syncs from the server: the recorded text is shown, the local one compared.
      connectWith('Recorded text.');
      expect(session.unrecordedEdits()).toEqual({ local: ['Typed after the lock. ', 'Recorded text.'], recorded: ['Recorded text.'] });
      expect(session.unsyncedChanges()).toBe(0);
    });

    it('drops the panel when the fresh copy shows the edits were recorded after all', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      typeLocally(connector.provider.doc, 'Late ack. ');
      const recorded = Y.encodeStateAsUpdate(connector.provider.doc);
      connector.provider.emitPermissionDenied('read-only: Locked.');
      await flush();

      // The server did record it (its acknowledgement was still on the way).
      connector.provider.emitStatus('connected');
      Y.applyUpdate(connector.provider.doc, recorded, connector.provider);
      connector.provider.emitSync(true);
      expect(session.unrecordedEdits()).toBeNull();
    });

    it('never shows edits restored from this device while the user may not write', async () => {
      setUp();
      // An earlier session left an unsent edit on this device.
      const earlier = new Y.Doc();
      Y.applyUpdate(earlier, textUpdate('Recorded text.'));
      const recordedState = Y.encodeStateVector(earlier);
      earlier.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('Offline edit. ')]);
      connector.storeOnDevice({ update: Y.encodeStateAsUpdate(earlier), values: { unsyncedChanges: 1 } });
      open(true);
      await flush();
      expect(session.unsyncedChanges()).toBe(1);

      // The server has only the recorded part.
      connector.provider.emitStatus('connected');
      connector.provider.emitServerStateVector(Y.decodeStateVector(recordedState));
      await flush();

      expect(connector.providers).toHaveLength(2);
      expect(connector.cleared).toHaveLength(1);
      expect(session.unrecordedEdits()?.local).toEqual(['Offline edit. ', 'Recorded text.']);
      expect(session.binding()?.doc.getXmlFragment(CONTENT_FIELD).length).toBe(0);
      expect(session.writable()).toBe(false);
    });

    it('starts again from the recorded text, writable, after an oversized update is refused (4413)', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      const first = connector.provider;
      typeLocally(first.doc, 'x'.repeat(100));
      first.emitPermissionDenied('too-large: The change is larger than 1 MiB.');
      first.emitClosed(4413, 'too-large');
      await flush();

      expect(connector.providers).toHaveLength(2);
      expect(first.destroyed).toBe(true);
      expect(connector.cleared).toEqual(['concord:p-1:u-amina']);
      expect(session.writeRefusal()).toBeNull();
      expect(session.notice()).toMatchObject({ code: 'too-large', message: 'The change is larger than 1 MiB.', closeCode: 4413 });
      expect(session.unrecordedEdits()?.local[0]).toBe('x'.repeat(100));
      // Until the recorded text arrives, the old one stays on screen, read-only: no empty page.
      expect(session.binding()?.doc).toBe(first.doc);
      expect(session.documentReady()).toBe(true);
      expect(session.restoring()).toBe(true);
      expect(session.writable()).toBe(false);

      const destroyed = jest.fn();
      first.doc.on('destroy', destroyed);
      connectWith('Recorded text.');
      expect(session.binding()?.doc).toBe(connector.provider.doc);
      expect(session.documentReady()).toBe(true);
      expect(session.restoring()).toBe(false);
      expect(session.writable()).toBe(true);
      expect(destroyed).toHaveBeenCalledTimes(1);
      expect(session.unrecordedEdits()?.recorded).toEqual(['Recorded text.']);
    });

    it('never leaves the page without a document while the recorded text loads', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      const shown: (Y.Doc | null)[] = [];
      const ready: boolean[] = [];
      const watch = () => {
        shown.push(session.binding()?.doc ?? null);
        ready.push(session.documentReady());
      };
      typeLocally(connector.provider.doc, 'Odd. ');
      connector.provider.emitPermissionDenied('invalid: The update is malformed.');
      watch();
      await flush();
      watch();
      connector.provider.emitStatus('connected');
      watch();
      Y.applyUpdate(connector.provider.doc, textUpdate('Recorded text.'), connector.provider);
      watch();
      connector.provider.emitSync(true);
      watch();

      expect(shown.every((doc) => doc !== null)).toBe(true);
      expect(ready.every(Boolean)).toBe(true);
      expect(session.binding()?.doc).toBe(connector.provider.doc);
    });

    it('hands over to the fresh copy when the server refuses it before it loads', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      const first = connector.provider;
      typeLocally(first.doc, 'Odd. ');
      first.emitPermissionDenied('invalid: The update is malformed.');
      await flush();
      expect(session.binding()?.doc).toBe(first.doc);

      // Meanwhile the user was removed: the fresh connection is closed before it syncs.
      connector.provider.emitPermissionDenied('forbidden: You were removed from the workspace.');
      connector.provider.emitClosed(4403, 'forbidden');

      expect(session.binding()?.doc).toBe(connector.provider.doc);
      expect(session.documentReady()).toBe(false);
      expect(session.refusal()).toBe('forbidden');
      expect(session.restoring()).toBe(false);
      expect(session.writable()).toBe(false);
    });

    it('destroys the document it still showed when the page is left before the recorded text arrives', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      const first = connector.provider;
      const destroyed = jest.fn();
      first.doc.on('destroy', destroyed);
      typeLocally(first.doc, 'Odd. ');
      first.emitPermissionDenied('invalid: The update is malformed.');
      await flush();
      expect(destroyed).not.toHaveBeenCalled();

      session.close();
      expect(destroyed).toHaveBeenCalledTimes(1);
      expect(connector.provider.destroyed).toBe(true);
      expect(session.binding()).toBeNull();
    });

    it('becomes writable again when the server asks to reconnect (4500)', () => {
      setUp();
      open();
      connectWith('Recorded text.');
      connector.provider.emitPermissionDenied('read-only: Your role was removed.');
      expect(session.writable()).toBe(false);

      connector.provider.emitClosed(4500, 'access changed');
      expect(session.writable()).toBe(true);
      expect(connector.providers).toHaveLength(1);
    });

    it('keeps the last text read-only with the reason when the session ends with nothing unrecorded (4401)', () => {
      setUp();
      open();
      connectWith('Recorded text.');
      connector.provider.emitPermissionDenied('session-ended: Your session has expired.');
      connector.provider.emitClosed(4401, 'session-ended');

      expect(session.writable()).toBe(false);
      expect(session.writeRefusal()).toEqual({ code: 'session-ended', message: 'Your session has expired.', closeCode: 4401 });
      expect(session.binding()).not.toBeNull();
    });

    it('shows no document but the unrecorded edits when access ends with edits unsent (4403)', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      typeLocally(connector.provider.doc, 'Unsent. ');
      connector.provider.emitPermissionDenied('forbidden: You were removed from the workspace.');
      connector.provider.emitClosed(4403, 'forbidden');
      await flush();

      expect(session.binding()).toBeNull();
      expect(session.refusal()).toBe('forbidden');
      expect(session.writeRefusal()?.message).toBe('You were removed from the workspace.');
      expect(session.unrecordedEdits()).toEqual({ local: ['Unsent. ', 'Recorded text.'], recorded: null });
      expect(connector.cleared).toHaveLength(1);
    });

    it('starts again from the record when an update is refused as invalid (no resend loop)', async () => {
      setUp();
      open();
      connectWith('Recorded text.');
      typeLocally(connector.provider.doc, 'Odd. ');
      connector.provider.emitPermissionDenied('invalid: The update is malformed.');
      await flush();

      expect(connector.providers[0].destroyed).toBe(true);
      expect(connector.providers).toHaveLength(2);
      expect(session.notice()?.code).toBe('invalid');
      connectWith('Recorded text.');
      expect(session.writable()).toBe(true);
    });
  });
});
