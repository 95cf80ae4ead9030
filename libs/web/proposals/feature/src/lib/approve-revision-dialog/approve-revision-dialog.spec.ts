import { suggestionIdsIn } from './approve-revision-dialog';

describe('suggestionIdsIn (the open suggestions of the revision a chair approves)', () => {
  const text = (value: string, marks: unknown[] = []) => ({ type: 'text', text: value, marks });
  const mark = (type: string, id: string) => ({ type, attrs: { id, authorId: 'u1', at: '2026-12-06T10:00:00.000Z' } });

  it('counts each suggestion once, whatever its pieces, and ignores other marks', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [text('plain'), text('old', [mark('suggestionDelete', 's1')]), text('new', [mark('suggestionInsert', 's1')])] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('x', [mark('suggestionInsert', 's2'), { type: 'bold' }])] }] }] },
        { type: 'paragraph', content: [text('bold', [{ type: 'bold' }])] },
      ],
    };
    expect([...suggestionIdsIn(doc)].sort()).toEqual(['s1', 's2']);
  });

  it('finds none in a document without suggestions, or in nothing', () => {
    expect(suggestionIdsIn({ type: 'doc', content: [{ type: 'paragraph', content: [text('a')] }] }).size).toBe(0);
    expect(suggestionIdsIn(undefined).size).toBe(0);
  });
});
