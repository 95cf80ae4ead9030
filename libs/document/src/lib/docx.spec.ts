import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, unzipSync, strFromU8, strToU8 } from 'fflate';
import type { DocumentManifest, ExportDocumentModel, PmNode } from './document-model';
import { expectedParagraphs, writeDocx } from './docx-writer';
import { readDocx } from './docx-reader';
import { layOutDocument, letterLabel, romanLabel } from './layout';
import { writeRedlineDocx } from './redline';
import { compareParagraphs } from './verification';

const text = (value: string, marks?: PmNode['marks']): PmNode => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const para = (...content: PmNode[]): PmNode => ({ type: 'paragraph', content });
const bullets = (...items: PmNode[][]): PmNode => ({ type: 'bulletList', content: items.map((content) => ({ type: 'listItem', content })) });

const suggestion = (type: 'suggestionInsert' | 'suggestionDelete') => [{ type, attrs: { id: 's1', authorId: 'u-priya', at: '2017-06-01T10:00:00.000Z' } }];

const DOC_A: PmNode = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('Purpose')] },
    para(text('Workers receive '), text('accurate', [{ type: 'bold' }]), text(' information '), text('early', suggestion('suggestionInsert')), text(' late', suggestion('suggestionDelete')), text('.')),
    bullets([para(text('Pre-employment'))], [para(text('Pre-departure')), bullets([para(text('nested one'))], [para(text('nested two'))])]),
    para(text('See '), text('the programme', [{ type: 'link', attrs: { href: 'https://example.org/ciop' } }]), text('.')),
  ],
};
const DOC_B: PmNode = { type: 'doc', content: [bullets([para(text('العمال المهاجرون'))], [para(text('移民工人'))]), para(text('Ends'))] };

const manifest: DocumentManifest = {
  format: 'concord-document/1',
  exportId: '9f0b2c1e-0000-4000-8000-000000000001',
  kind: 'submission',
  submissionId: 's-1',
  proposals: [
    { id: 'p-a', revision: 12, contentHash: 'a'.repeat(64) },
    { id: 'p-b', revision: 3, contentHash: 'b'.repeat(64) },
  ],
  sections: [
    { number: 1, heading: 'Tools and frameworks', proposalIds: ['p-a'] },
    { number: 2, heading: 'Partnerships', proposalIds: ['p-b'] },
  ],
  suggestions: 'clean',
  logPosition: 420,
  exportedAt: '2017-06-10T09:00:00.000Z',
  exportedBy: 'u-amina',
};

function model(overrides: Partial<ExportDocumentModel> = {}): ExportDocumentModel {
  return {
    title: 'Abu Dhabi Dialogue contribution',
    iscmName: 'Abu Dhabi Dialogue',
    consultation: 'Third informal thematic session',
    date: '2017-06-10',
    edition: 'Current texts',
    sections: [
      { number: 1, heading: 'Tools and frameworks', proposals: [{ id: 'p-a', title: 'CIOP', kindLabel: 'Programme / project', gcmObjectives: [3, 6], revision: 12, contentHash: 'a'.repeat(64), doc: DOC_A }] },
      { number: 2, heading: 'Partnerships', proposals: [{ id: 'p-b', title: 'Skills', kindLabel: 'Policy', gcmObjectives: [], revision: 3, contentHash: 'b'.repeat(64), doc: DOC_B }] },
    ],
    approvals: [{ proposalId: 'p-a', proposalTitle: 'CIOP', revision: 12, contentHash: 'a'.repeat(64), chair: 'Fatima Al Mansoori', at: '2017-06-09T12:00:00Z', current: true, logPosition: 400, checkpoint: null }],
    suggestions: 'clean',
    people: new Map([['u-priya', 'Priya Sharma (India)']]),
    manifest,
    ...overrides,
  };
}

const hasLibreOffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function libreOfficeText(file: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-docx-'));
  try {
    writeFileSync(join(dir, 'in.docx'), file);
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'txt:Text', '--outdir', dir, join(dir, 'in.docx')], { stdio: 'ignore', timeout: 120_000 });
    return readFileSync(join(dir, 'in.txt'), 'utf8').replace(/^\uFEFF/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('layOutDocument', () => {
  it('numbers paragraphs through each section and letters list items under the paragraph before them', () => {
    const numbered = layOutDocument(model().sections).flatMap((block) => ('number' in block && typeof block.number === 'string' ? [block.number] : []));
    expect(numbered).toEqual(['1.1', '1.1(a)', '1.1(b)', '1.1(b)(i)', '1.1(b)(ii)', '1.2', '2.1', '2.2', '2.3']);
  });

  it("puts a section's introduction under a discreet label, its paragraphs numbered first and the section's going on after", () => {
    const intro = { id: 'i-2', title: 'Introduction to section 2', kindLabel: 'Section introduction', gcmObjectives: [], revision: 2, contentHash: 'c'.repeat(64), introduction: true, doc: { type: 'doc', content: [para(text('Partnerships matter.')), para(text('So do people.'))] } };
    const sections = model().sections.map((section) => (section.number === 2 ? { ...section, proposals: [intro, ...section.proposals] } : section));
    const blocks = layOutDocument(sections).filter((block) => block.kind !== 'section' && !(block.kind === 'proposal' && block.proposalId !== 'i-2'));
    const second = blocks.slice(blocks.findIndex((block) => block.kind === 'proposal'));
    expect(second.map((block) => (block.kind === 'proposal' ? `[${block.text}]` : 'number' in block ? block.number : block.kind))).toEqual(['[Introduction]', '2.1', '2.2', '2.3', '2.4', '2.5']);
  });

  it('labels sub-paragraphs a…z, aa… and i, ii, iv, ix', () => {
    expect([0, 1, 25, 26].map(letterLabel)).toEqual(['a', 'b', 'z', 'aa']);
    expect([0, 1, 3, 8, 13].map(romanLabel)).toEqual(['i', 'ii', 'iv', 'ix', 'xiv']);
  });
});

describe('writeDocx / readDocx', () => {
  it('reads back every numbered paragraph and the manifest', async () => {
    const file = await writeDocx(model());
    const read = readDocx(file);
    expect(read.manifest).toEqual(manifest);
    expect(read.exportId).toBe(manifest.exportId);
    expect(compareParagraphs(expectedParagraphs(model()), read.paragraphs)).toEqual([]);
    expect(expectedParagraphs(model()).get('1.1')).toBe('1.1.\tWorkers receive accurate information  late.');
  });

  it('writes open suggestions as tracked changes by their authors when asked, and reads the agreed text the same', async () => {
    const tracked = model({ suggestions: 'tracked', manifest: { ...manifest, suggestions: 'tracked' } });
    const read = readDocx(await writeDocx(tracked));
    expect(read.changes.map(({ kind, author, text }) => ({ kind, author, text }))).toEqual([
      { kind: 'insert', author: 'Priya Sharma (India)', text: 'early' },
      { kind: 'delete', author: 'Priya Sharma (India)', text: ' late' },
    ]);
    expect(compareParagraphs(expectedParagraphs(tracked), read.paragraphs)).toEqual([]);
  });

  it('names the paragraph whose words were changed in the file', async () => {
    const entries = unzipSync(await writeDocx(model()));
    const xml = strFromU8(entries['word/document.xml']);
    expect(xml).toContain('Ends');
    entries['word/document.xml'] = strToU8(xml.replace('Ends', 'Ends, or not'));
    const altered = readDocx(zipSync(entries));
    expect(compareParagraphs(expectedParagraphs(model()), altered.paragraphs)).toEqual([
      { number: '2.3', problem: 'altered', expected: '2.3.\tEnds', found: '2.3.\tEnds, or not' },
    ]);
  });

  it('writes open comment threads as Word comments on their words, replies threaded, the paragraphs unchanged', async () => {
    const withComments = model({
      sections: model().sections.map((section) => ({
        ...section,
        proposals: section.proposals.map((p) =>
          p.id === 'p-a'
            ? {
                ...p,
                comments: [
                  {
                    quote: 'accurate',
                    messages: [
                      { author: 'Priya Sharma (India)', at: '2017-06-02T08:00:00.000Z', body: 'Accurate according to whom?' },
                      { author: 'Amina Rahman', at: '2017-06-02T09:00:00.000Z', body: 'The standard contract.' },
                    ],
                  },
                  { quote: 'words since deleted', messages: [{ author: 'Khalid Al Hammadi (United Arab Emirates)', at: '2017-06-03T08:00:00.000Z', body: 'Keep this.' }] },
                ],
              }
            : p,
        ),
      })),
    });
    const file = await writeDocx(withComments);
    const entries = unzipSync(file);
    const comments = strFromU8(entries['word/comments.xml']);
    expect(comments).toContain('w:author="Priya Sharma (India)"');
    expect(comments).toContain('Accurate according to whom?');
    expect(comments).toContain('The standard contract.');
    expect(comments).toContain('On words no longer in the text: “words since deleted”. Keep this.');
    const xml = strFromU8(entries['word/document.xml']);
    // The first thread's two comments start right before "accurate" in paragraph 1.1.
    const paragraph = xml.slice(xml.indexOf('w:name="cc_1_1"'), xml.indexOf('</w:p>', xml.indexOf('w:name="cc_1_1"')));
    expect(paragraph).toMatch(/<w:commentRangeStart w:id="0"\/><w:commentRangeStart w:id="1"\/><w:r>(?:(?!<\/w:r>).)*<w:t[^>]*>accurate<\/w:t>/s);
    expect(compareParagraphs(expectedParagraphs(withComments), readDocx(file).paragraphs)).toEqual([]);
  });

  it('refuses a file that is not a DOCX with a reason', () => {
    expect(() => readDocx(Buffer.from('not a zip'))).toThrow(/not a DOCX/);
  });

  (hasLibreOffice ? it : it.skip)('opens in LibreOffice with the text of the revisions (Arabic and Chinese included)', async () => {
    const out = libreOfficeText(await writeDocx(model()));
    for (const expected of expectedParagraphs(model()).values()) {
      for (const line of expected.split('\n')) expect(out).toContain(line);
    }
    expect(out).toContain('Annex: approval record');
    expect(out).not.toContain('early');
  }, 180_000);
});

describe('writeRedlineDocx', () => {
  it('writes each change as w:ins / w:del with the author and time given', async () => {
    const file = await writeRedlineDocx({
      title: 'CIOP',
      iscmName: 'Abu Dhabi Dialogue',
      fromRevision: 2,
      toRevision: 5,
      fromHash: 'c'.repeat(64),
      toHash: 'd'.repeat(64),
      spans: [
        { type: 'equal', text: 'Workers ' },
        { type: 'insert', text: 'rece', author: 'Amina Rahman', at: '2017-06-01T10:00:00.000Z' },
        { type: 'insert', text: 'ive', author: 'Amina Rahman', at: '2017-06-01T10:00:05.000Z' },
        { type: 'delete', text: 'get', author: 'Rohan Perera', at: '2017-06-02T08:00:00.000Z' },
        { type: 'equal', text: ' news.\nNext line' },
      ],
      manifest: { ...manifest, kind: 'redline', proposals: [{ id: 'p-a', revision: 5, contentHash: 'd'.repeat(64) }], fromRevision: 2 },
    });
    const read = readDocx(file);
    expect(read.changes).toEqual([
      { kind: 'insert', author: 'Amina Rahman', date: '2017-06-01T10:00:05.000Z', text: 'receive' },
      { kind: 'delete', author: 'Rohan Perera', date: '2017-06-02T08:00:00.000Z', text: 'get' },
    ]);
    expect(read.paragraphs.map((p) => p.text)).toEqual(expect.arrayContaining(['Workers get news.', 'Next line']));
  });
});
