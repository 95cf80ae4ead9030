/**
 * One stable colour per person, the same everywhere (a caret shown to others, a diff highlight, a
 * legend): derived from the user id alone, so the server and every browser agree without sharing
 * state. The co-editing server sets each connection's awareness `user.color` with it; the web app
 * colours diffs with it.
 *
 * Colours are hex `#rrggbb` (Tiptap's CollaborationCaret ignores anything else; `isHexColor` is the
 * check both sides apply before a colour reaches a style).
 */

/**
 * Twelve clearly distinct hues, each dark enough for white label text (contrast at least 4.5:1):
 * a curated palette tells people apart better than arbitrary hues, which cluster.
 */
export const AUTHOR_PALETTE: readonly string[] = [
  '#1b5fbf', // blue
  '#b3261e', // red
  '#1e7a34', // green
  '#8a3ab9', // purple
  '#b35900', // orange
  '#00778a', // teal
  '#c2185b', // pink
  '#5d6b00', // olive
  '#4a4fc4', // indigo
  '#8b5a2b', // brown
  '#7a5c00', // mustard
  '#6b4c9a', // violet
];

export function authorColor(userId: string): string {
  return AUTHOR_PALETTE[fnv1a(userId) % AUTHOR_PALETTE.length];
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** True only for `#rrggbb`: nothing else may reach a style attribute. */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

/** 32-bit FNV-1a over the UTF-16 code units: small, fast, well spread for short ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
