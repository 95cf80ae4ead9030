import * as Y from 'yjs';

const TEXT_BLOCKS = new Set(['paragraph', 'heading']);

/**
 * The text of a proposal's Y.XmlFragment as blocks (one string per paragraph or heading; list
 * items start with "• "). What a person reads, for copying and comparing: no formatting.
 */
export function documentBlocks(fragment: Y.XmlFragment | Y.XmlElement): string[] {
  const blocks: string[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement, inListItem: boolean) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement) {
        if (TEXT_BLOCKS.has(child.nodeName)) {
          blocks.push((inListItem ? '• ' : '') + inlineText(child));
          inListItem = false;
        } else {
          walk(child, child.nodeName === 'listItem');
        }
      } else if (child instanceof Y.XmlText) {
        blocks.push(textOf(child));
      }
    }
  };
  walk(fragment, false);
  return blocks;
}

function inlineText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? textOf(child) : child instanceof Y.XmlElement && child.nodeName === 'hardBreak' ? '\n' : ''))
    .join('');
}

function textOf(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

export type BlockChange = { kind: 'same' | 'removed' | 'added'; text: string };

/**
 * A block-level comparison of two texts (longest common subsequence): what `after` adds to
 * `before` and what it removes. Quadratic in blocks, so only for proposal-sized texts.
 */
export function compareBlocks(before: readonly string[], after: readonly string[]): BlockChange[] {
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const changes: BlockChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      changes.push({ kind: 'same', text: before[i] });
      i++;
      j++;
    } else if (j < m && (i === n || common[i][j + 1] >= common[i + 1][j])) {
      changes.push({ kind: 'added', text: after[j++] });
    } else {
      changes.push({ kind: 'removed', text: before[i++] });
    }
  }
  return changes;
}
