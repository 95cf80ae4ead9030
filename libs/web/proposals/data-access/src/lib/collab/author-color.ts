/**
 * One stable colour per person, the same everywhere (caret, diff highlight, legend): derived from
 * the user id alone, so every browser agrees without sharing state.
 *
 * The colour is a hex `#rrggbb` (Tiptap's CollaborationCaret ignores anything else).
 */

import { authorColor } from '@concord/contracts';

// The palette and its derivation are shared with the co-editing server, which sets the colour
// others see for each connection (libs/contracts/src/lib/author-color.ts).
export { AUTHOR_PALETTE, authorColor, isHexColor } from '@concord/contracts';

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
