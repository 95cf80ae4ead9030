import type { MentionableMemberDto } from '@concord/contracts';
import { insertMention, membersMatching, mentionQueryAt, movedHighlight } from './mention-query';

const members: MentionableMemberDto[] = [
  { userId: 'u-drafter', name: 'Amina Rahman' },
  { userId: 'u-chair', name: 'Fatima Al Mansoori' },
  { userId: 'u-in', name: 'Priya Sharma (India)' },
  { userId: 'u-ae', name: 'Khalid Al Hammadi (United Arab Emirates)' },
  { userId: 'u-pr', name: 'Pierre Prévost' },
];
const names = (found: MentionableMemberDto[]) => found.map((member) => member.name);

describe('mentionQueryAt', () => {
  it('finds @ and the letters typed right before the caret, at the start or after a space or bracket', () => {
    expect(mentionQueryAt('@Pri', 4)).toEqual({ start: 0, end: 4, text: 'Pri' });
    expect(mentionQueryAt('Ask @Priya Sh', 13)).toEqual({ start: 4, end: 13, text: 'Priya Sh' });
    expect(mentionQueryAt('(@Kha)', 5)).toEqual({ start: 1, end: 5, text: 'Kha' });
    expect(mentionQueryAt('@Pri and more', 4)?.text).toBe('Pri');
  });

  it('finds nothing without a letter after @, inside an e-mail address, after a finished mention or away from the caret', () => {
    expect(mentionQueryAt('@', 1)).toBeNull();
    expect(mentionQueryAt('@ Pri', 5)).toBeNull();
    expect(mentionQueryAt('write to amina@concord.demo', 27)).toBeNull();
    expect(mentionQueryAt('@Priya Sharma (India) thanks', 28)).toBeNull();
    expect(mentionQueryAt('@Pri\nnext line', 15)).toBeNull();
    expect(mentionQueryAt('@Pri', 0)).toBeNull();
  });
});

describe('membersMatching', () => {
  it('matches the start of the name or of any word of it, ignoring case and accents, whole-name matches first', () => {
    expect(names(membersMatching(members, 'Pri'))).toEqual(['Priya Sharma (India)']);
    expect(names(membersMatching(members, 'al'))).toEqual(['Fatima Al Mansoori', 'Khalid Al Hammadi (United Arab Emirates)']);
    expect(names(membersMatching(members, 'p'))).toEqual(['Pierre Prévost', 'Priya Sharma (India)']);
    expect(names(membersMatching(members, 'prev'))).toEqual(['Pierre Prévost']);
    expect(names(membersMatching(members, 'india'))).toEqual(['Priya Sharma (India)']);
    expect(names(membersMatching(members, 'Priya Sh'))).toEqual(['Priya Sharma (India)']);
  });

  it('finds nobody for letters inside a word, and shows at most eight', () => {
    expect(membersMatching(members, 'riya')).toEqual([]);
    const many = Array.from({ length: 12 }, (_, index) => ({ userId: `u${index}`, name: `Member ${index}` }));
    expect(membersMatching(many, 'mem')).toHaveLength(8);
  });
});

describe('insertMention', () => {
  it('replaces the typed letters with @Full Name and a space, keeping the text after the caret', () => {
    const value = 'Ask @Pri about it';
    expect(mentionQueryAt(value, 8)).toEqual({ start: 4, end: 8, text: 'Pri' });
    expect(insertMention(value, { start: 4, end: 8, text: 'Pri' }, members[2])).toEqual({ value: 'Ask @Priya Sharma (India) about it', caret: 26 });
    expect(insertMention('@Am', { start: 0, end: 3, text: 'Am' }, members[0])).toEqual({ value: '@Amina Rahman ', caret: 14 });
  });
});

describe('movedHighlight', () => {
  it('moves down and up through the options, wrapping round; other keys and an empty list move nothing', () => {
    expect(movedHighlight('ArrowDown', 0, 3)).toBe(1);
    expect(movedHighlight('ArrowDown', 2, 3)).toBe(0);
    expect(movedHighlight('ArrowUp', 0, 3)).toBe(2);
    expect(movedHighlight('ArrowUp', 2, 3)).toBe(1);
    expect(movedHighlight('Enter', 1, 3)).toBeNull();
    expect(movedHighlight('ArrowDown', 0, 0)).toBeNull();
  });
});
