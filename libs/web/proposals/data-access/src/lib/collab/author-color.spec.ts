import { AUTHOR_PALETTE, authorColor, authorTint, contrastRatio } from './author-color';

const DEMO_USERS = [
  '3d123a19-075b-54c1-a6a7-fbe591935abc', // drafter1
  '1b7b62d1-3f4e-5e98-a944-c0d762e8fb11', // drafter2
  'e7ac0c3c-dc7a-5c9e-a7eb-4313c7d29418', // chair
  '4acd1fdb-3f91-5120-ad80-d61cb0fad9a8', // auditor
  '16c63927-bb0f-518b-a86e-f9bdfeb0bc1f', // admin
];

describe('authorColor', () => {
  it('gives the same user the same colour every time, as a #rrggbb hex (what CollaborationCaret accepts)', () => {
    for (const id of DEMO_USERS) {
      expect(authorColor(id)).toBe(authorColor(id));
      expect(authorColor(id)).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('tells the five demo accounts apart', () => {
    expect(new Set(DEMO_USERS.map(authorColor)).size).toBe(DEMO_USERS.length);
  });

  it('spreads many users over the whole palette', () => {
    const used = new Set(Array.from({ length: 500 }, (_, i) => authorColor(`user-${i}`)));
    expect(used.size).toBe(AUTHOR_PALETTE.length);
  });

  it('keeps white caret-label text readable on every colour (WCAG AA, 4.5:1)', () => {
    for (const color of AUTHOR_PALETTE) {
      expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('derives a translucent tint of the same colour for inserted text', () => {
    const color = authorColor(DEMO_USERS[0]);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    expect(authorTint(DEMO_USERS[0])).toBe(`rgba(${r}, ${g}, ${b}, 0.16)`);
  });
});
