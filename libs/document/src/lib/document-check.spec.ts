import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DocumentManifest, ExportDocumentModel, PmNode } from './document-model';
import { judgeDocument, readReceivedDocument, type RecordedExport, unrecordedExportVerdict, UnusableDocumentError } from './document-check';
import { writeDocx } from './docx-writer';

const para = (text: string): PmNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const DOC_A: PmNode = { type: 'doc', content: [para('Workers receive accurate information.'), para('Early, before they leave.')] };
const DOC_B: PmNode = { type: 'doc', content: [para('Skills are recognised.')] };
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

const recorded: RecordedExport = {
  exportId: '9f0b2c1e-0000-4000-8000-000000000001',
  kind: 'submission',
  proposals: [
    { id: 'p-a', revision: 12, contentHash: HASH_A },
    { id: 'p-b', revision: 3, contentHash: HASH_B },
  ],
  sections: [
    { number: 1, heading: 'Tools', proposalIds: ['p-a'] },
    { number: 2, heading: 'Partnerships', proposalIds: ['p-b'] },
  ],
};
const manifest: DocumentManifest = {
  format: 'concord-document/1',
  ...recorded,
  proposals: [...recorded.proposals],
  sections: recorded.sections.map((s) => ({ ...s, proposalIds: [...s.proposalIds] })),
  submissionId: 's-1',
  suggestions: 'clean',
  logPosition: 42,
  exportedAt: '2017-06-10T09:00:00.000Z',
  exportedBy: 'u-amina',
};
const model: ExportDocumentModel = {
  title: 'Contribution',
  iscmName: 'Abu Dhabi Dialogue',
  consultation: 'Third informal thematic session',
  date: '2017-06-10',
  edition: 'Current texts',
  sections: [
    { number: 1, heading: 'Tools', proposals: [{ id: 'p-a', title: 'CIOP', kindLabel: 'Policy', gcmObjectives: [3], revision: 12, contentHash: HASH_A, doc: DOC_A }] },
    { number: 2, heading: 'Partnerships', proposals: [{ id: 'p-b', title: 'Skills', kindLabel: 'Policy', gcmObjectives: [], revision: 3, contentHash: HASH_B, doc: DOC_B }] },
  ],
  approvals: [],
  suggestions: 'clean',
  people: new Map(),
  manifest,
};
const texts = [
  { doc: DOC_A, hash: HASH_A },
  { doc: DOC_B, hash: HASH_B },
];

describe('readReceivedDocument and judgeDocument (the one check of a received file)', () => {
  let file: Uint8Array;
  beforeAll(async () => {
    file = new Uint8Array(await writeDocx(model));
  });

  it('finds the manifest of a DOCX and judges it valid against the same texts', async () => {
    const received = await readReceivedDocument(file);
    expect(received).toMatchObject({ format: 'docx', exportId: recorded.exportId, submissionId: 's-1' });
    const verdict = judgeDocument({ received, recorded, exportedAt: manifest.exportedAt, texts, titles: ['CIOP', 'Skills'] });
    expect(verdict).toMatchObject({ valid: true, textCompared: true, differences: [] });
    expect(verdict.proposals.map((p) => p.hashMatches)).toEqual([true, true]);
    expect(verdict.summary).toContain('Every numbered paragraph reads as the log');
  });

  it('names a paragraph whose words were changed in the file', async () => {
    const entries = unzipSync(file);
    entries['word/document.xml'] = strToU8(strFromU8(entries['word/document.xml']).replace('Early, before', 'Late, after'));
    const received = await readReceivedDocument(zipSync(entries));
    const verdict = judgeDocument({ received, recorded, exportedAt: manifest.exportedAt, texts });
    expect(verdict.valid).toBe(false);
    expect(verdict.differences).toEqual([expect.objectContaining({ problem: 'altered', found: expect.stringContaining('Late, after') })]);
    expect(verdict.summary).toMatch(/^The file differs from the log in paragraph \S+ \(altered\)\.$/);
  });

  it('names the revisions whose text no longer hashes as recorded, or is gone', async () => {
    const received = await readReceivedDocument(file);
    const verdict = judgeDocument({ received, recorded, exportedAt: manifest.exportedAt, texts: [{ doc: DOC_A, hash: HASH_B }, null], titles: ['CIOP', 'Skills'] });
    expect(verdict.valid).toBe(false);
    expect(verdict.proposals.map((p) => p.hashMatches)).toEqual([false, false]);
    expect(verdict.summary).toBe('The log no longer reproduces the recorded text of “CIOP” revision 12, “Skills” revision 3: run npm run verify on the log.');
  });

  it('does not compare the text of a redline', async () => {
    const received = await readReceivedDocument(file);
    const verdict = judgeDocument({ received, recorded: { ...recorded, kind: 'redline' }, exportedAt: manifest.exportedAt, texts });
    expect(verdict).toMatchObject({ valid: true, textCompared: false });
  });

  it('says so when the export is not in the log', () => {
    expect(unrecordedExportVerdict('x')).toMatchObject({ valid: false, summary: expect.stringContaining('No export x') });
  });

  it('still finds the export when an editor cut the manifest property short (Word keeps 255 characters)', async () => {
    const entries = unzipSync(file);
    const custom = strFromU8(entries['docProps/custom.xml']);
    const cut = custom.replace(/(<vt:lpwstr>)(\{[^<]*)(<\/vt:lpwstr>)/, (_, open: string, json: string, close: string) => `${open}${json.slice(0, 255)}${close}`);
    expect(cut).not.toBe(custom);
    entries['docProps/custom.xml'] = strToU8(cut);
    const received = await readReceivedDocument(zipSync(entries));
    expect(received).toMatchObject({ format: 'docx', exportId: recorded.exportId, submissionId: 's-1', manifest: null });
    expect(judgeDocument({ received, recorded, exportedAt: manifest.exportedAt, texts, titles: ['CIOP', 'Skills'] })).toMatchObject({ valid: true, differences: [] });
  });

  it('refuses what cannot be checked, with a reason', async () => {
    await expect(readReceivedDocument(strToU8('hello'))).rejects.toThrow(new UnusableDocumentError('The file is neither a DOCX nor a PDF document.'));
    await expect(readReceivedDocument(zipSync({ 'a.txt': strToU8('x') }))).rejects.toThrow(/no word\/document\.xml/);
    const stripped = unzipSync(file);
    delete stripped['docProps/custom.xml'];
    await expect(readReceivedDocument(zipSync(stripped))).rejects.toThrow(/carries no Concord manifest/);
    await expect(readReceivedDocument(strToU8('%PDF-1.7 broken'))).rejects.toThrow(/carries no Concord manifest/);
  });
});
