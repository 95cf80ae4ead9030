import { mulberry32 } from '@concord/content/testing';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DocumentManifest, ExportDocumentModel, ExportSection, PmMark, PmNode } from './document-model';
import { expectedParagraphs, writeDocx } from './docx-writer';
import { readDocx } from './docx-reader';
import { compareParagraphs } from './verification';

/**
 * Random documents through the file and back: whatever the text (any script, XML metacharacters,
 * spaces at the edges, hard breaks, marks, nested lists, open suggestions), every numbered
 * paragraph read from the DOCX is the paragraph the layout expects — and changing one character
 * of one paragraph's text in the file is reported for exactly that paragraph. Open comment threads
 * on random words ride along as Word comments and change no paragraph's text.
 */
const WORDS = ['migrants', 'العمال', '移民', 'трудящиеся', 'a & b', '<tag>', '"quoted"', "l'accord", '  spaced  ', 'x', '\u00e9t\u00e9', '😀', 'Ω'];

function generator(seed: number) {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (n: number) => Math.floor(random() * n);
  const marks = (): PmMark[] | undefined => {
    const roll = random();
    if (roll < 0.15) return [{ type: 'bold' }];
    if (roll < 0.25) return [{ type: 'italic' }, { type: 'bold' }];
    if (roll < 0.32) return [{ type: 'link', attrs: { href: 'https://example.org/?a=1&b=2' } }];
    if (roll < 0.4) return [{ type: random() < 0.5 ? 'suggestionInsert' : 'suggestionDelete', attrs: { id: `s${int(9)}`, authorId: 'u1', at: '2017-06-01T00:00:00Z' } }];
    return undefined;
  };
  const inline = (): PmNode[] => {
    const nodes: PmNode[] = [];
    for (let i = 0, n = 1 + int(4); i < n; i++) {
      if (random() < 0.1) nodes.push({ type: 'hardBreak' });
      else nodes.push({ type: 'text', text: `${pick(WORDS)}${random() < 0.5 ? ' ' : ''}`, ...(marks() ? { marks: marks() } : {}) });
    }
    return nodes;
  };
  const paragraph = (): PmNode => ({ type: 'paragraph', content: inline() });
  const list = (depth: number): PmNode => ({
    type: random() < 0.5 ? 'bulletList' : 'orderedList',
    content: Array.from({ length: 1 + int(3) }, () => ({
      type: 'listItem',
      content: [paragraph(), ...(depth < 2 && random() < 0.3 ? [list(depth + 1)] : []), ...(depth < 2 && random() < 0.1 ? [list(depth + 1)] : [])],
    })),
  });
  const block = (): PmNode => {
    const roll = random();
    if (roll < 0.15) return { type: 'heading', attrs: { level: 2 + int(2) }, content: inline() };
    if (roll < 0.35) return list(0);
    if (roll < 0.45) return { type: 'blockquote', content: [paragraph()] };
    return paragraph();
  };
  const sections = (): ExportSection[] =>
    Array.from({ length: 1 + int(3) }, (_, s) => ({
      number: s + 1,
      heading: `Question ${s + 1}`,
      proposals: Array.from({ length: 1 + int(2) }, (_, p) => ({
        id: `p${s}-${p}`,
        title: `Proposal ${pick(WORDS)}`,
        kindLabel: 'Policy',
        gcmObjectives: [1 + int(23)],
        revision: 1 + int(50),
        contentHash: 'h'.repeat(64),
        doc: { type: 'doc', content: Array.from({ length: int(6) }, block) },
        comments: Array.from({ length: int(3) }, () => ({
          quote: pick(WORDS).trim(),
          messages: Array.from({ length: 1 + int(2) }, () => ({ author: pick(WORDS), at: '2017-06-02T08:00:00.000Z', body: `${pick(WORDS)} <&> ${pick(WORDS)}` })),
        })),
      })),
    }));
  return { sections, int };
}

const manifest: DocumentManifest = {
  format: 'concord-document/1',
  exportId: '00000000-0000-4000-8000-000000000000',
  kind: 'submission',
  submissionId: 's',
  proposals: [],
  sections: [],
  suggestions: 'clean',
  logPosition: 1,
  exportedAt: '2017-06-10T00:00:00.000Z',
  exportedBy: 'u',
};

describe('DOCX round trip (random documents)', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => 1000 + i);
  it.each(seeds)('seed %i: every numbered paragraph reads back, and one changed character is named', async (seed) => {
    const { sections, int } = generator(seed);
    const model: ExportDocumentModel = {
      title: 'T',
      iscmName: 'I',
      consultation: 'C',
      date: '2017-06-10',
      edition: 'E',
      sections: sections(),
      approvals: [],
      suggestions: seed % 2 ? 'tracked' : 'clean',
      people: new Map([['u1', 'Priya Sharma (India)']]),
      manifest,
    };
    const expected = expectedParagraphs(model);
    const file = await writeDocx(model);
    expect(compareParagraphs(expected, readDocx(file).paragraphs)).toEqual([]);

    // Change one character inside one numbered paragraph's first plain text run.
    const numbers = [...expected.keys()];
    if (numbers.length === 0) return;
    const entries = unzipSync(file);
    const xml = strFromU8(entries['word/document.xml']);
    const target = numbers[int(numbers.length)];
    const start = xml.indexOf(`w:name="cc_${target.replace(/[().]+/g, '_').replace(/_+$/, '')}"`);
    const end = xml.indexOf('</w:p>', start);
    const tab = xml.indexOf('<w:tab/>', start);
    const text = /<w:t(?: [^>]*)?>/g;
    text.lastIndex = tab;
    const open = text.exec(xml);
    if (!open || open.index > end) return; // an empty paragraph: nothing to change
    const at = open.index + open[0].length;
    entries['word/document.xml'] = strToU8(`${xml.slice(0, at)}§${xml.slice(at)}`);
    const differences = compareParagraphs(expected, readDocx(zipSync(entries)).paragraphs);
    const insideInsertion = xml.lastIndexOf('<w:ins ', at) > xml.lastIndexOf('</w:ins>', at);
    expect(differences.map((d) => d.number)).toEqual(insideInsertion ? [] : [target]);
  });
});
