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
    session.open({ proposalId: 'p-1', user: AMINA, token: 'jwt-1', readOnly });
  }

  function flush(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve));
  }

  it('opens the Y.Doc over /collab/<proposal id> with the token, persisted per proposal and user', () => {
    setUp();
    open();

    const provider = connector.provider;
    expect(provider.serverUrl).toBe(collabServerUrl(TestBed.inject(DOCUMENT)));
    expect(provider.serverUrl).toMatch(/^ws:\/\/.+\/collab$/);
    expect(provider.room).toBe('p-1');
    expect(provider.token).toBe('jwt-1');
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

  it('counts local changes while offline, not changes from the server, and clears them on the next sync', () => {
    setUp();
    open();
    const provider = connector.provider;
    provider.emitStatus('connected');
    provider.emitSync(true);
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
    expect(session.unsyncedChanges()).toBe(0);
  });

  it('remembers unsynced changes on the device, and shows them again after a reload', async () => {
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
    await flush();
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
});
