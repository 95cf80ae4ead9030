import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { COLLAB_CONNECTOR, CONTENT_FIELD, FakeCollabConnector, ProposalDocumentSession } from '@concord/web/proposals/data-access';
import type { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { ProposalEditor } from './proposal-editor';

const PRIYA = { authorId: 'u-priya', at: '2026-12-06T10:00:00Z' };
/** Yjs gives inserted text the formatting before it unless told otherwise. */
const PLAIN = { suggestionInsert: null, suggestionDelete: null };

/** "Employers pay [all] the fees [where possible]." with an insertion s-ins and a replacement s-rep (words out and in). */
function seededDoc(): Y.Doc {
  const doc = new Y.Doc();
  const text = new Y.XmlText();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [text]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
  text.insert(0, 'Employers pay ');
  text.insert(14, 'all ', { suggestionInsert: { id: 's-ins', ...PRIYA } });
  text.insert(18, 'the fees ', PLAIN);
  text.insert(27, 'where possible', { suggestionDelete: { id: 's-rep', ...PRIYA } });
  text.insert(41, 'always', { suggestionInsert: { id: 's-rep', ...PRIYA } });
  text.insert(47, '.', PLAIN);
  return doc;
}

describe('ProposalEditor, opened with ?suggestion=', () => {
  let fixture: ComponentFixture<ProposalEditor>;
  let connector: FakeCollabConnector;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve));
      fixture.detectChanges();
    }
  }

  async function open(suggestion: string): Promise<HTMLElement> {
    connector = new FakeCollabConnector();
    TestBed.configureTestingModule({
      imports: [ProposalEditor],
      providers: [provideRouter([]), ProposalDocumentSession, { provide: COLLAB_CONNECTOR, useValue: connector }],
    });
    const session = TestBed.inject(ProposalDocumentSession);
    session.open({ proposalId: 'p-1', user: { id: 'u-dana', name: 'Dana Drafter' }, nextTicket: () => Promise.resolve('t'), readOnly: false });
    fixture = TestBed.createComponent(ProposalEditor);
    fixture.componentRef.setInput('suggestion', suggestion);
    fixture.detectChanges();
    const provider = connector.provider;
    provider.emitStatus('connected');
    Y.applyUpdate(provider.doc, Y.encodeStateAsUpdate(seededDoc()), provider);
    provider.emitSync(true);
    await settle();
    return fixture.nativeElement;
  }

  const editorOf = (page: HTMLElement) => (page.querySelector('.ProseMirror') as HTMLElement & { editor: Editor }).editor;
  const selectedText = (editor: Editor) => editor.state.doc.textBetween(editor.state.selection.from, editor.state.selection.to);

  afterEach(() => fixture?.destroy());

  it('selects the suggested words and gives the text the focus', async () => {
    const page = await open('s-ins');
    const editor = editorOf(page);
    // Tiptap focuses on the next animation frame.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(selectedText(editor)).toBe('all ');
    expect(document.activeElement).toBe(editor.view.dom);
    expect(page.querySelector('[data-testid="suggestion-gone"]')).toBeNull();
  });

  it('selects every piece of a replacement, the words out and the words in', async () => {
    const editor = editorOf(await open('s-rep'));
    expect(selectedText(editor)).toBe('where possiblealways');
  });

  it('says so when the suggestion is no longer in the text, and points to the amendments', async () => {
    const page = await open('s-decided');
    const notice = page.querySelector('[data-testid="suggestion-gone"]') as HTMLElement;
    expect(notice.textContent).toContain('That suggestion is no longer in the text');
    expect(notice.querySelector('a')?.getAttribute('href')).toBe('/amendments');
    expect(editorOf(page).state.selection.empty).toBe(true);
  });

  it('selects another suggestion when the address names another one', async () => {
    const page = await open('s-ins');
    fixture.componentRef.setInput('suggestion', 's-rep');
    await settle();
    expect(selectedText(editorOf(page))).toBe('where possiblealways');
  });
});
