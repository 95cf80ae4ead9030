import type { ExportSection, PmMark, PmNode } from './document-model';

/** A piece of text with its formatting; `change` marks an open suggestion's words. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  href?: string;
  change?: { kind: 'insert' | 'delete'; authorId: string; at: string };
}

/** A line of the laid-out document. Numbered blocks carry their paragraph number (`3.4`, `3.4(a)`). */
export type LaidOutBlock =
  | { kind: 'section'; number: number | null; text: string }
  | { kind: 'proposal'; proposalId: string; text: string; details: string; introduction?: boolean; coSponsors?: string }
  | { kind: 'heading'; level: number; runs: Run[] }
  | { kind: 'paragraph'; number: string; label: string; runs: Run[]; quote: boolean; blockId?: string }
  | { kind: 'item'; number: string; label: string; runs: Run[]; depth: 1 | 2; blockId?: string };

export type NumberedBlock = Extract<LaidOutBlock, { kind: 'paragraph' | 'item' }>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** What stands over a section's introduction in place of a proposal's title. */
export const INTRODUCTION_LABEL = 'Introduction';

/** The line under a proposal's title naming its co-sponsoring member states (unnumbered: not part of the verified text). */
export function coSponsorLine(names: readonly string[]): string {
  return `Co-sponsored by: ${names.join(', ')}`;
}

/** a, b, …, z, aa, bb, … as UN documents letter sub-paragraphs. */
export function letterLabel(index: number): string {
  return LETTERS[index % 26].repeat(Math.floor(index / 26) + 1);
}

/** i, ii, iii, iv, … */
export function romanLabel(index: number): string {
  const table: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let rest = index + 1;
  let out = '';
  for (const [value, numeral] of table) {
    while (rest >= value) {
      out += numeral;
      rest -= value;
    }
  }
  return out;
}

function runsOf(nodes: readonly PmNode[] | undefined): Run[] {
  const runs: Run[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      runs.push({ text: '\n' });
    } else if (node.type === 'text' && typeof node.text === 'string') {
      runs.push({ text: node.text, ...formatting(node.marks ?? []) });
    } else if (node.content) {
      runs.push(...runsOf(node.content));
    }
  }
  return runs;
}

function formatting(marks: readonly PmMark[]): Omit<Run, 'text'> {
  const out: Omit<Run, 'text'> = {};
  for (const mark of marks) {
    if (mark.type === 'bold') out.bold = true;
    else if (mark.type === 'italic') out.italic = true;
    else if (mark.type === 'link' && typeof mark.attrs?.['href'] === 'string') out.href = mark.attrs['href'];
    else if (mark.type === 'suggestionInsert' || mark.type === 'suggestionDelete') {
      out.change = {
        kind: mark.type === 'suggestionInsert' ? 'insert' : 'delete',
        authorId: String(mark.attrs?.['authorId'] ?? ''),
        at: String(mark.attrs?.['at'] ?? ''),
      };
    }
  }
  return out;
}

/**
 * The text of a numbered block as the agreed text reads it: open suggestions not taken (proposed
 * words left out, words proposed for deletion kept). This is what verification compares.
 */
export function agreedText(runs: readonly Run[]): string {
  return runs
    .filter((run) => run.change?.kind !== 'insert')
    .map((run) => run.text)
    .join('');
}

/**
 * Lays out sections of proposals as numbered paragraphs, the way UN documents number them:
 * paragraphs (and quoted paragraphs) are numbered `section.n` through the section (or `n` for a
 * single proposal), list items are sub-paragraphs `(a)`, `(b)` of the paragraph before them (a
 * second list after the same paragraph goes on lettering) and nested items `(i)`, `(ii)` of their
 * item; a list with no paragraph before it in its proposal or since the last heading is numbered as
 * paragraphs. Headings are not numbered. Every number is given once. A section's introduction is
 * laid out like a proposal (it comes first: the caller puts it there), under "Introduction".
 */
export function layOutDocument(sections: readonly ExportSection[]): LaidOutBlock[] {
  const blocks: LaidOutBlock[] = [];
  for (const section of sections) {
    blocks.push({ kind: 'section', number: section.number, text: section.heading });
    let counter = 0;
    const nextNumber = () => {
      counter += 1;
      return section.number === null ? `${counter}` : `${section.number}.${counter}`;
    };
    for (const proposal of section.proposals) {
      const objectives = proposal.gcmObjectives.length ? ` · GCM objectives ${proposal.gcmObjectives.join(', ')}` : '';
      blocks.push(
        proposal.introduction
          ? { kind: 'proposal', proposalId: proposal.id, text: INTRODUCTION_LABEL, details: '', introduction: true }
          : {
              kind: 'proposal',
              proposalId: proposal.id,
              text: proposal.title,
              details: `${proposal.kindLabel}${objectives}`,
              ...(proposal.coSponsors?.length ? { coSponsors: coSponsorLine(proposal.coSponsors) } : {}),
            },
      );
      let lastParagraph: string | null = null;
      /** Items lettered under `lastParagraph` so far: a second list after the same paragraph goes on lettering. */
      let lettered = 0;
      const paragraph = (runs: Run[], quote: boolean, source: PmNode): string => {
        const number = nextNumber();
        lastParagraph = number;
        lettered = 0;
        blocks.push({ kind: 'paragraph', number, label: `${number}.`, runs, quote, ...blockIdOf(source) });
        return number;
      };
      const list = (node: PmNode) => {
        const items = (node.content ?? []).filter((item) => item.type === 'listItem');
        const parent = lastParagraph;
        items.forEach((item) => {
          const own = (item.content ?? []).filter((child) => child.type !== 'bulletList' && child.type !== 'orderedList');
          const runs = joinParagraphs(own);
          let itemNumber: string;
          if (parent === null) {
            itemNumber = paragraph(runs, false, item);
          } else {
            const label = `(${letterLabel(lettered++)})`;
            itemNumber = `${parent}${label}`;
            blocks.push({ kind: 'item', number: itemNumber, label, runs, depth: 1, ...blockIdOf(item) });
          }
          let subLettered = 0;
          for (const nested of (item.content ?? []).filter((child) => child.type === 'bulletList' || child.type === 'orderedList')) {
            subLettered = subItems(nested, itemNumber, subLettered);
          }
        });
      };
      /** Nested items `(i)`, `(ii)` of `parent` from `start` on; returns how many it has now. */
      const subItems = (node: PmNode, parent: string, start: number): number => {
        let count = start;
        for (const item of node.content ?? []) {
          const label = `(${romanLabel(count++)})`;
          blocks.push({ kind: 'item', number: `${parent}${label}`, label, runs: flattenItem(item), depth: 2, ...blockIdOf(item) });
        }
        return count;
      };
      for (const node of proposal.doc.content ?? []) {
        switch (node.type) {
          case 'heading':
            // A list after a heading belongs to no paragraph: it is numbered as paragraphs.
            lastParagraph = null;
            blocks.push({ kind: 'heading', level: Number(node.attrs?.['level'] ?? 2), runs: runsOf(node.content) });
            break;
          case 'bulletList':
          case 'orderedList':
            list(node);
            break;
          case 'blockquote':
            for (const child of node.content ?? []) {
              if (child.type === 'bulletList' || child.type === 'orderedList') list(child);
              else paragraph(runsOf(child.content), true, child);
            }
            break;
          default:
            paragraph(runsOf(node.content), false, node);
        }
      }
    }
  }
  return blocks;
}

/** The stable block id a numbered block was laid out from (libs/content `block-ids.ts`), if it has one. */
function blockIdOf(node: PmNode): { blockId?: string } {
  const id = node.attrs?.['id'];
  return typeof id === 'string' && id.length > 0 ? { blockId: id } : {};
}

/** One numbered paragraph of a laid-out document: its number, the block it is and the proposal holding it. */
export interface NumberedParagraph {
  readonly number: string;
  /** The stable id of the paragraph or list item (null for a block from before ids). */
  readonly blockId: string | null;
  readonly proposalId: string;
  /** Its agreed text (open suggestions not taken), at most 200 characters. */
  readonly text: string;
}

/** The numbered paragraphs of a laid-out document, each with its block id and proposal. */
export function numberedParagraphs(blocks: readonly LaidOutBlock[]): NumberedParagraph[] {
  const paragraphs: NumberedParagraph[] = [];
  let proposalId = '';
  for (const block of blocks) {
    if (block.kind === 'proposal') proposalId = block.proposalId;
    if (!isNumbered(block)) continue;
    const text = agreedText(block.runs).replace(/\s+/g, ' ').trim();
    paragraphs.push({ number: block.number, blockId: block.blockId ?? null, proposalId, text: text.length > 200 ? `${text.slice(0, 199)}…` : text });
  }
  return paragraphs;
}

/** The paragraphs of a list item as one run list, separated by line breaks. */
function joinParagraphs(nodes: readonly PmNode[]): Run[] {
  const runs: Run[] = [];
  nodes.forEach((node, index) => {
    if (index > 0) runs.push({ text: '\n' });
    runs.push(...runsOf(node.content));
  });
  return runs;
}

/** A nested item and everything under it as one sub-paragraph (deeper lists are not numbered). */
function flattenItem(item: PmNode): Run[] {
  const runs: Run[] = [];
  const walk = (nodes: readonly PmNode[] | undefined) => {
    for (const node of nodes ?? []) {
      if (node.type === 'paragraph' || node.type === 'heading') {
        if (runs.length) runs.push({ text: '\n' });
        runs.push(...runsOf(node.content));
      } else {
        walk(node.content);
      }
    }
  };
  walk(item.content);
  return runs;
}

export function isNumbered(block: LaidOutBlock): block is NumberedBlock {
  return block.kind === 'paragraph' || block.kind === 'item';
}

/** The bookmark that names a numbered paragraph inside a DOCX (`3.4(a)` → `cc_3_4_a`). */
export function bookmarkName(number: string): string {
  return `cc_${number.replace(/[().]+/g, '_').replace(/_+$/, '')}`;
}
