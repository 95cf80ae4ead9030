/**
 * One stable colour per person, the same everywhere (caret, diff highlight, legend): derived from
 * the user id alone, so every browser agrees without sharing state.
 *
 * The colour is a hex `#rrggbb` (Tiptap's CollaborationCaret ignores anything else).
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

/** The author's colour as a translucent background for inserted text. */
export function authorTint(userId: string, alpha = 0.16): string {
  const hex = authorColor(userId);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** WCAG relative-luminance contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
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
