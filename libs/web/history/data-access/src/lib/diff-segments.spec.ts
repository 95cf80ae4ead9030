import { authorColor, authorTint } from '@concord/web/proposals/data-access';
import { toDiffView } from './diff-segments';

describe('toDiffView', () => {
  it('colours inserted and deleted text by its author and builds the legend', () => {
    const view = toDiffView({
      from: 3,
      to: 9,
      spans: [
        { type: 'delete', text: 'Orientation', userId: 'u-amina' },
        { type: 'insert', text: 'Pre-departure', userId: 'u-rohan' },
        { type: 'insert', text: ' orientation', userId: 'u-rohan' },
        { type: 'equal', text: ' covers costs.' },
        { type: 'insert', text: ' Free.', userId: 'u-amina' },
      ],
      authors: [
        { userId: 'u-amina', userName: 'Amina Rahman' },
        { userId: 'u-rohan', userName: 'Rohan Perera' },
      ],
    });

    expect(view.segments.map((s) => [s.type, s.text, s.author?.userName ?? null])).toEqual([
      ['delete', 'Orientation', 'Amina Rahman'],
      ['insert', 'Pre-departure orientation', 'Rohan Perera'],
      ['equal', ' covers costs.', null],
      ['insert', ' Free.', 'Amina Rahman'],
    ]);
    expect(view.authors).toEqual([
      { userId: 'u-amina', userName: 'Amina Rahman', color: authorColor('u-amina'), tint: authorTint('u-amina'), inserted: 6, deleted: 11 },
      { userId: 'u-rohan', userName: 'Rohan Perera', color: authorColor('u-rohan'), tint: authorTint('u-rohan'), inserted: 25, deleted: 0 },
    ]);
    expect(view.unchanged).toBe(false);
  });

  it('names an author the server did not name from the member list', () => {
    const view = toDiffView(
      { from: 0, to: 1, spans: [{ type: 'insert', text: 'x', userId: 'u-x' }], authors: [] },
      (id) => (id === 'u-x' ? 'Xavier' : id),
    );
    expect(view.authors[0].userName).toBe('Xavier');
  });

  it('says when nothing changed', () => {
    const view = toDiffView({ from: 4, to: 4, spans: [{ type: 'equal', text: 'Same text' }, { type: 'insert', text: '' }], authors: [] });
    expect(view.unchanged).toBe(true);
    expect(view.segments).toHaveLength(1);
    expect(view.authors).toEqual([]);
  });

  it('keeps the moved paragraphs the server names (an older server sends none)', () => {
    const moved = [{ blockId: 'b-1', text: 'Alpha', fromPosition: 1, toPosition: 4 }];
    expect(toDiffView({ from: 1, to: 2, spans: [{ type: 'equal', text: 'Alpha' }], authors: [], moved }).moved).toEqual(moved);
    expect(toDiffView({ from: 1, to: 2, spans: [], authors: [] } as unknown as Parameters<typeof toDiffView>[0]).moved).toEqual([]);
  });
});
