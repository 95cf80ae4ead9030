import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { MemberStateDto } from '@concord/contracts';
import { ProposalStore, SuggestionDelete, SuggestionInsert, editorSchemaExtensions } from '@concord/web/proposals/data-access';
import { Editor, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { authorLabel, groupByMemberState } from './suggestion-groups';
import { SuggestionList } from './suggestion-list';

const INDIA = { code: 'IN', name: 'India' };
const UAE = { code: 'AE', name: 'United Arab Emirates' };
const STATES: Record<string, MemberStateDto> = { 'u-priya': INDIA, 'u-ravi': INDIA, 'u-khalid': UAE };
const AT = '2026-12-06T10:00:00Z';

const inserted = (text: string, id: string, authorId: string): JSONContent => ({ type: 'text', text, marks: [{ type: 'suggestionInsert', attrs: { id, authorId, at: AT } }] });
const deleted = (text: string, id: string, authorId: string): JSONContent => ({ type: 'text', text, marks: [{ type: 'suggestionDelete', attrs: { id, authorId, at: AT } }] });
const plain = (text: string): JSONContent => ({ type: 'text', text });

/** Priya (India) inserts "all ", Khalid (UAE) deletes "only ", Ravi (India) deletes "where possible". */
const TEXT: JSONContent = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        plain('Employers pay '),
        inserted('all ', 's-1', 'u-priya'),
        plain('the fees '),
        deleted('only ', 's-2', 'u-khalid'),
        plain('of workers '),
        deleted('where possible', 's-3', 'u-ravi'),
        plain('.'),
      ],
    },
  ],
};

describe('suggestion groups', () => {
  it('groups open suggestions by the member state of their authors, by state name', () => {
    const suggestions = [
      { id: 's-1', authorId: 'u-priya', at: AT, inserted: 'all ', deleted: '', ranges: [] },
      { id: 's-2', authorId: 'u-khalid', at: AT, inserted: '', deleted: 'only ', ranges: [] },
      { id: 's-3', authorId: 'u-ravi', at: AT, inserted: '', deleted: 'x', ranges: [] },
      { id: 's-4', authorId: 'u-dana', at: AT, inserted: 'y', deleted: '', ranges: [] },
    ];
    const groups = groupByMemberState(suggestions, (userId) => STATES[userId] ?? null);
    expect(groups.map((group) => [group.name, group.suggestions.map((s) => s.id)])).toEqual([
      ['India', ['s-1', 's-3']],
      ['United Arab Emirates', ['s-2']],
    ]);
  });

  it('names an author with their member state once', () => {
    expect(authorLabel('Priya Sharma (India)', INDIA)).toBe('Priya Sharma (India)');
    expect(authorLabel('Priya Sharma', INDIA)).toBe('Priya Sharma (India)');
    expect(authorLabel('Dana Drafter', null)).toBe('Dana Drafter');
  });
});

describe('SuggestionList', () => {
  let fixture: ComponentFixture<SuggestionList>;
  let editor: Editor;

  async function render(numbered = false): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: ProposalStore, useValue: { memberStateOf: (userId: string) => STATES[userId] ?? null, memberName: (userId: string) => userId } },
      ],
    });
    editor = numbered
      ? // The editor's schema, with block ids: the paragraph is block b-1.
        new Editor({ extensions: editorSchemaExtensions(), content: { ...TEXT, content: [{ ...(TEXT.content ?? [])[0], attrs: { id: 'b-1' } }] } })
      : new Editor({ extensions: [StarterKit, SuggestionInsert, SuggestionDelete], content: TEXT });
    fixture = TestBed.createComponent(SuggestionList);
    fixture.componentRef.setInput('proposalId', 'p-1');
    fixture.componentRef.setInput('editor', editor);
    fixture.componentRef.setInput('canDecide', true);
    if (numbered) fixture.componentRef.setInput('paragraphNumbers', new Map([['b-1', '2.3']]));
    fixture.detectChanges();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/proposals/p-1/mentionable')
      .flush([
        { userId: 'u-priya', name: 'Priya Sharma (India)' },
        { userId: 'u-khalid', name: 'Khalid Al Hammadi' },
        { userId: 'u-ravi', name: 'Ravi Kumar (India)' },
      ]);
    await Promise.resolve();
    await fixture.whenStable();
    return fixture.nativeElement;
  }

  afterEach(() => {
    fixture.destroy();
    editor.destroy();
  });

  const button = (page: HTMLElement, text: string) =>
    [...page.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === text) as HTMLButtonElement;

  it('says which numbered paragraph each suggestion is in', async () => {
    const page = await render(true);
    expect([...page.querySelectorAll('[data-testid="suggestion-paragraph"]')].map((label) => label.textContent?.trim())).toEqual([
      'in para 2.3',
      'in para 2.3',
      'in para 2.3',
    ]);
  });

  it('names each suggestion’s author with the member state they represent', async () => {
    const page = await render();
    const authors = [...page.querySelectorAll('[data-testid="suggestion-author"]')].map((author) => author.textContent);
    expect(authors).toEqual(['Priya Sharma (India)', 'Khalid Al Hammadi (United Arab Emirates)', 'Ravi Kumar (India)']);
    const states = [...page.querySelectorAll('[data-testid="suggestion-member-state-group"] > span')].map((group) => group.textContent?.trim());
    expect(states).toEqual(['From India (2)', 'From United Arab Emirates (1)']);
  });

  it('accepts all from one member state: India’s insertion stays, India’s deletion goes, the UAE’s suggestion is left open', async () => {
    const page = await render();
    button(page, 'Accept all from India').click();
    await fixture.whenStable();

    expect(editor.getText()).toBe('Employers pay all the fees only of workers .');
    expect([...page.querySelectorAll<HTMLElement>('[data-testid="suggestion"]')].map((item) => item.dataset['suggestionId'])).toEqual(['s-2']);
    // The pressed button is gone with its group: the focus stays in the list, on its heading.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement?.id).toBe('cc-suggestions-heading');
  });

  it('rejects all from one member state: India’s insertion goes, India’s deletion is kept as plain text', async () => {
    const page = await render();
    button(page, 'Reject all from India').click();
    await fixture.whenStable();

    expect(editor.getText()).toBe('Employers pay the fees only of workers where possible.');
    const marks = editor.getJSON().content?.[0].content?.filter((node) => node.marks?.length).map((node) => node.text);
    expect(marks).toEqual(['only ']);
  });
});
