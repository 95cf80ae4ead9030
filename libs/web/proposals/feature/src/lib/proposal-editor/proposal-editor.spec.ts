import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { COLLAB_CONNECTOR, CONTENT_FIELD, FakeCollabConnector, ProposalDocumentSession } from '@concord/web/proposals/data-access';
import type { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { ProposalEditor, serverReason } from './proposal-editor';

function seed(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
}

/** As Word puts it on the clipboard: mso styles, classes, spans with style, font tags, o:p, u. */
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";font-size:12pt}</style></head>
<body lang=EN-GB style='tab-interval:36.0pt'><!--StartFragment-->
<h1 class=MsoTitle style='mso-outline-level:1'><span style='font-family:"Calibri Light"'>Pasted heading</span></h1>
<p class=MsoNormal style='margin:0cm;mso-line-height-rule:exactly'><span style='font-size:11.0pt;color:#2F5496'>Plain, <b style='mso-bidi-font-weight:normal'>bold words</b>, <span style='font-style:italic'>italic words</span>, <u>underlined</u> and <font face="Arial" color="red">font text</font> with <a href="https://example.org/report" class=MsoHyperlink style='color:blue' title="x" target="_blank">a link</a>.<o:p></o:p></span></p>
<ul style='margin-top:0cm' type=disc><li class=MsoNormal style='mso-list:l0 level1 lfo1'><span style='font-size:11pt'>First point</span></li><li class=MsoNormal>Second <s>point</s></li></ul>
<!--EndFragment--></body></html>`;

/** The shared document's XML without the stable block ids the editor writes (random UUIDs). */
const withoutIds = (xml: string): string => xml.replace(/ id="[^"]*"/g, '');

describe('ProposalEditor', () => {
  let fixture: ComponentFixture<ProposalEditor>;
  let connector: FakeCollabConnector;
  let session: ProposalDocumentSession;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve));
      fixture.detectChanges();
    }
  }

  async function render({ readOnly }: { readOnly: boolean }): Promise<HTMLElement> {
    connector = new FakeCollabConnector();
    TestBed.configureTestingModule({
      imports: [ProposalEditor],
      providers: [ProposalDocumentSession, { provide: COLLAB_CONNECTOR, useValue: connector }],
    });
    session = TestBed.inject(ProposalDocumentSession);
    session.open({ proposalId: 'p-1', user: { id: 'u-1', name: 'Amina Rahman' }, nextTicket: () => Promise.resolve('t'), readOnly });
    fixture = TestBed.createComponent(ProposalEditor);
    fixture.detectChanges();
    return fixture.nativeElement;
  }

  /** The server's first sync: the seeded text arrives, the provider is connected and synced. */
  async function syncFromServer(text: string): Promise<void> {
    const provider = connector.provider;
    provider.emitStatus('connected');
    Y.applyUpdate(provider.doc, Y.encodeStateAsUpdate(seededDoc(text)), provider);
    provider.emitSync(true);
    await settle();
  }

  function seededDoc(text: string): Y.Doc {
    const doc = new Y.Doc();
    seed(doc, text);
    return doc;
  }

  function tool(page: HTMLElement, label: string): HTMLButtonElement {
    return page.querySelector(`[role="toolbar"] button[aria-label="${label}"]`) as HTMLButtonElement;
  }

  afterEach(() => fixture?.destroy());

  it('waits for the server before creating the editor, and never writes content itself', async () => {
    const page = await render({ readOnly: false });
    expect(page.querySelector('.ProseMirror')).toBeNull();
    expect(page.textContent).toContain('Opening the document…');
    expect(connector.provider.doc.getXmlFragment(CONTENT_FIELD).length).toBe(0);

    await syncFromServer('Zero recruitment fees for workers.');

    const editable = page.querySelector('.ProseMirror') as HTMLElement;
    expect(editable.textContent).toBe('Zero recruitment fees for workers.');
    expect(editable.getAttribute('contenteditable')).toBe('true');
    expect(editable.getAttribute('aria-label')).toBe('Proposal text');
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toBe(
      '<paragraph>Zero recruitment fees for workers.</paragraph>',
    );
  });

  it('offers a labelled formatting toolbar whose pressed states follow the selection', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Zero recruitment fees for workers.');

    const labels = [...page.querySelectorAll('[role="toolbar"] button')].map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim());
    expect(labels).toEqual(['Heading 2', 'Heading 3', 'Bold', 'Italic', 'Bulleted list', 'Numbered list', 'Quote', 'Link', 'Undo your last change', 'Redo', 'Suggest changes']);
    expect(tool(page, 'Bold').getAttribute('aria-pressed')).toBe('false');

    tool(page, 'Heading 2').click();
    await settle();
    expect(tool(page, 'Heading 2').getAttribute('aria-pressed')).toBe('true');
    expect(tool(page, 'Heading 3').getAttribute('aria-pressed')).toBe('false');
    // The change went into the shared document, where the server will pick it up.
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toContain('<heading level="2">');
    // The editor gives the block it writes its stable id (a UUID), as the server expects.
    expect(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString()).toMatch(/<heading id="[0-9a-f-]{36}" level="2">/);
    expect(session.unsyncedChanges()).toBe(1);
    connector.provider.emitServerStateVector();
    expect(session.unsyncedChanges()).toBe(0);
  });

  it('keeps the same editor, attached and editable, while the selection moves between formats', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Zero recruitment fees for workers.');
    const first = page.querySelector('.ProseMirror') as HTMLElement & { editor: Editor };
    const editor = first.editor;

    // Make the first half a heading, then put the caret in a plain paragraph, then into bold text.
    editor.chain().setTextSelection(2).toggleHeading({ level: 2 }).run();
    await settle();
    editor.commands.insertContentAt(editor.state.doc.content.size, '<p>Employers <strong>pay</strong> them.</p>');
    await settle();
    const positionOf = (text: string): number => {
      let found = -1;
      editor.state.doc.descendants((node, pos) => {
        if (found < 0 && node.isText && node.text?.includes(text)) found = pos + (node.text.indexOf(text) + 1);
      });
      return found;
    };
    editor.commands.setTextSelection(positionOf('Employers'));
    await settle();
    expect(tool(page, 'Heading 2').getAttribute('aria-pressed')).toBe('false');
    editor.commands.setTextSelection(positionOf('pay'));
    await settle();
    expect(tool(page, 'Bold').getAttribute('aria-pressed')).toBe('true');
    editor.commands.setTextSelection(positionOf('recruitment'));
    await settle();
    expect(tool(page, 'Heading 2').getAttribute('aria-pressed')).toBe('true');

    const now = page.querySelector('.ProseMirror') as HTMLElement & { editor: Editor };
    expect(now).toBe(first);
    expect(now.editor).toBe(editor);
    expect(editor.isDestroyed).toBe(false);
    expect(now.isConnected).toBe(true);
    expect(page.querySelector('tiptap-editor')?.contains(now)).toBe(true);
  });

  it('moves between toolbar buttons with the arrow keys, one tab stop for the whole toolbar', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');

    const buttons = [...page.querySelectorAll<HTMLButtonElement>('[role="toolbar"] button')];
    expect(buttons.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    buttons[0].focus();
    buttons[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await settle();
    expect(document.activeElement).toBe(buttons[1]);
    expect(buttons[1].tabIndex).toBe(0);
    buttons[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(document.activeElement).toBe(buttons[buttons.length - 1]);
  });

  it('counts the words of the live text, including what others type', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Zero recruitment fees for workers.');
    expect(page.querySelector('[data-testid="word-count"]')?.textContent?.trim()).toBe('5 words');

    // Another drafter adds a paragraph; it arrives through the provider.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(connector.provider.doc));
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Employers pay.')]);
    remote.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph]);
    Y.applyUpdate(connector.provider.doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(connector.provider.doc)), connector.provider);
    // Counted again after a pause, not on every keystroke.
    await new Promise((resolve) => setTimeout(resolve, 450));
    await settle();

    expect(page.querySelector('[data-testid="word-count"]')?.textContent?.trim()).toBe('7 words');
  });

  it('is read-only for chairs and auditors: no toolbar, not editable', async () => {
    const page = await render({ readOnly: true });
    await syncFromServer('Approved text.');

    expect(page.querySelector('[role="toolbar"]')).toBeNull();
    expect(page.querySelector('[data-testid="read-only-note"]')).not.toBeNull();
    const editable = page.querySelector('.ProseMirror') as HTMLElement;
    expect(editable.getAttribute('contenteditable')).toBe('false');
    expect(editable.getAttribute('aria-readonly')).toBe('true');
  });

  it('shows the connection: connected, then offline with the unsynced changes, then connected again', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');
    const indicator = () => page.querySelector('[data-testid="connection-state"]') as HTMLElement;
    expect(indicator().dataset['state']).toBe('connected');
    expect(indicator().textContent).toContain('Connected');

    window.dispatchEvent(new Event('offline'));
    // Two edits typed into the editor (Tiptap keeps its instance on the editable element).
    const editor = (page.querySelector('.ProseMirror') as HTMLElement & { editor: Editor }).editor;
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, '!');
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, '?');
    await settle();
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toBe('<paragraph>Text!?</paragraph>');
    expect(indicator().dataset['state']).toBe('offline');
    expect(indicator().textContent).toContain('Offline');
    expect(page.querySelector('[data-testid="unsynced-changes"]')?.textContent).toContain('2 unsynced changes');

    window.dispatchEvent(new Event('online'));
    connector.provider.emitStatus('connected');
    connector.provider.emitSync(true);
    await settle();
    expect(indicator().dataset['state']).toBe('connected');
    expect(page.querySelector('[data-testid="unsynced-changes"]')).toBeNull();
  });

  it('explains a refusal instead of showing the editor', async () => {
    const page = await render({ readOnly: false });
    connector.provider.emitClosed(4403);
    await settle();

    expect(page.querySelector('.ProseMirror')).toBeNull();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('You do not have access to this document.');
  });

  function editorOf(page: HTMLElement): Editor {
    return (page.querySelector('.ProseMirror') as HTMLElement & { editor: Editor }).editor;
  }

  it('says "Saved" only once the server has recorded the change, "Saving… (n)" until then', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');
    connector.provider.emitServerStateVector();
    await settle();
    const save = () => page.querySelector('[data-testid="save-state"]')?.textContent?.trim();
    expect(save()).toBe('· Saved');

    const editor = editorOf(page);
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, '!');
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, '?');
    await settle();
    expect(save()).toBe('· Saving… (2)');

    connector.provider.emitServerStateVector();
    await settle();
    expect(save()).toBe('· Saved');
  });

  it('turns read-only when the server refuses writes, and says why', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');
    connector.provider.emitServerStateVector();
    connector.provider.emitPermissionDenied('read-only: The submission has been submitted and is locked.');
    await settle();

    const editable = page.querySelector('.ProseMirror') as HTMLElement;
    expect(editable.getAttribute('contenteditable')).toBe('false');
    expect(editable.getAttribute('aria-readonly')).toBe('true');
    expect(page.querySelector('[role="toolbar"]')).toBeNull();
    expect(page.querySelector('[data-testid="write-refusal"]')?.getAttribute('role')).toBe('alert');
    expect(page.querySelector('[data-testid="write-refusal"]')?.textContent).toContain('The submission has been submitted and is locked.');
  });

  it('shows the recorded text and offers the unrecorded edits to copy and compare', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Recorded text.');
    connector.provider.emitServerStateVector();
    const editor = editorOf(page);
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, ' Unrecorded addition.');
    await settle();

    connector.provider.emitPermissionDenied('read-only: The submission has been submitted and is locked.');
    await settle();
    await syncFromServer('Recorded text.');

    expect(page.querySelector('.ProseMirror')?.textContent).toBe('Recorded text.');
    const panel = page.querySelector('[data-testid="unrecorded-edits"]') as HTMLElement;
    expect(panel.querySelector('h3')?.textContent).toBe('Your unrecorded edits');
    expect(panel.querySelector('[data-testid="unrecorded-text"]')?.textContent).toContain('Recorded text. Unrecorded addition.');
    const compare = [...panel.querySelectorAll('button')].find((b) => b.textContent?.includes('Compare')) as HTMLButtonElement;
    compare.click();
    await settle();
    expect(panel.querySelector('ins')?.textContent).toContain('Recorded text. Unrecorded addition.');
    expect(panel.querySelector('del')?.textContent).toContain('Recorded text.');
  });

  it('refuses a change larger than 512 KiB before it enters the document, with a message', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');
    const editor = editorOf(page);
    const before = Y.encodeStateAsUpdate(connector.provider.doc).length;

    editor.commands.insertContentAt(1, 'x'.repeat(600 * 1024));
    await settle();

    expect(Y.encodeStateAsUpdate(connector.provider.doc).length).toBe(before);
    expect(page.querySelector('[data-testid="change-refused"]')?.getAttribute('role')).toBe('alert');
    expect(page.querySelector('[data-testid="change-refused"]')?.textContent).toContain('too large');

    // Normal changes still go in.
    editor.commands.insertContentAt(1, 'Still typing. ');
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toContain('Still typing. Text');
  });

  it('keeps pasted Word HTML to the schema: no styles, classes, spans or fonts', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Text');
    const editor = editorOf(page);
    editor.commands.selectAll();

    editor.view.pasteHTML(WORD_HTML);
    await settle();

    const xml = withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString());
    expect(xml).not.toMatch(/style=|class=|<span|<font|mso-|<underline|<strike|title=|target=/i);
    expect(xml).toContain('<heading level="2">Pasted heading</heading>');
    expect(xml).toContain('underlined and font text with');
    expect(xml).toContain('<bold>bold words</bold>');
    expect(xml).toContain('<italic>italic words</italic>');
    expect(xml).toContain('<bulletlist><listitem><paragraph>First point</paragraph></listitem>');
    expect(xml).toContain('<link href="https://example.org/report">a link</link>');
    expect(editor.getHTML()).not.toMatch(/style=|class="(?!cc-)|<span|<font|<u>|<s>/);
  });

  it('undoes only this user\'s own changes', async () => {
    const page = await render({ readOnly: false });
    await syncFromServer('Base.');
    const editor = editorOf(page);
    editor.commands.insertContentAt(editor.state.doc.content.size - 1, ' Mine.');
    // Another drafter adds text through the server.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(connector.provider.doc));
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Theirs.')]);
    remote.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph]);
    Y.applyUpdate(connector.provider.doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(connector.provider.doc)), connector.provider);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the undo manager's capture window
    await settle();

    tool(page, 'Undo your last change').click();
    await settle();
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toBe('<paragraph>Base.</paragraph><paragraph>Theirs.</paragraph>');
    tool(page, 'Redo').click();
    await settle();
    expect(withoutIds(connector.provider.doc.getXmlFragment(CONTENT_FIELD).toString())).toBe('<paragraph>Base. Mine.</paragraph><paragraph>Theirs.</paragraph>');
    expect(tool(page, 'Undo your last change').getAttribute('aria-keyshortcuts')).toBe('Control+Z');
    // The per-user Yjs undo only: ProseMirror's own history (StarterKit's undoRedo) stays off.
    const names = editor.extensionManager.extensions.map((extension) => extension.name);
    expect(names).toContain('collaboration');
    expect(names).not.toContain('undoRedo');
  }, 15_000);
});

describe('serverReason', () => {
  it("keeps the server's reason without saying twice that the change was not recorded", () => {
    expect(serverReason('The change was not recorded: update writes to root type "settings", which this document does not have.')).toBe(
      ' (update writes to root type "settings", which this document does not have)',
    );
    expect(serverReason('The change is 2000000 bytes; the limit is 1048576 bytes. It was not recorded.')).toBe(
      ' (The change is 2000000 bytes; the limit is 1048576 bytes)',
    );
    expect(serverReason('The awareness state is too large. It was not shown to others.')).toBe(
      ' (The awareness state is too large. It was not shown to others)',
    );
    expect(serverReason('')).toBe('');
    expect(serverReason('The change was not recorded: ')).toBe('');
  });
});
