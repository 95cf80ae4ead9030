/**
 * Word import (issue 13 point 7) against the real server: a DOCX written by LibreOffice from HTML
 * becomes a proposal whose first revision is its text, kept to the editor's schema (Heading 1 → 2,
 * lists, quote, bold, italic, web links; the javascript: link, the image and the table grid
 * dropped), attributed to the importing drafter with `kind: 'import'`, and ProposalImported names
 * the file; delegates and chairs are refused (403) and what is not a DOCX gets 400 with the reason.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ApiClient, ApiProcess, ok, startApi } from './support/api-process';
import { haveTools, soffice } from './support/document-tools';

const haveLibreOffice = haveTools('soffice');
if (!haveLibreOffice) console.warn('SKIP proposal import e2e: LibreOffice (soffice) is needed to write the DOCX (apt-get install libreoffice-writer-nogui)');

// A 1×1 PNG, so the document holds an image to drop.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const HTML = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Skills passport</title></head><body>
<h1>Skills passport for domestic workers</h1>
<p>Workers receive <b>accurate</b> and <i>timely</i> information about <a href="https://example.org/ciop">the programme</a> and <a href="javascript:alert(1)">this trap</a>.</p>
<h2>Measures</h2>
<ul><li>Pre-employment orientation</li><li>Pre-departure training</li></ul>
<ol><li>Recognise skills</li><li>Certify them</li></ol>
<p><img src="data:image/png;base64,${PNG}" width="10" height="10"> Text after the image.</p>
<table border="1"><tr><td>Country of origin</td><td>Country of destination</td></tr></table>
<p>Contact <a href="mailto:focal.point@example.org">the focal point</a>.</p>
</body></html>`;

const docxFromHtml = (html: string): Promise<Buffer> => soffice(html, 'proposal.html', 'docx:MS Word 2007 XML');

(haveLibreOffice ? describe : describe.skip)('a proposal imported from Word (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter1: ApiClient;
  let drafter1Id: string;
  let submissionId: string;
  let docx: Buffer;

  const importAs = (api: ApiClient, body: Uint8Array | string, query = 'title=Skills%20passport&kind=policy&gcmObjectives=18,5&filename=Skills%20passport.docx') =>
    api.request('POST', `/api/submissions/${submissionId}/proposals/import?${query}`, body, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });

  beforeAll(async () => {
    [server, docx] = await Promise.all([startApi({ name: 'proposal-import' }), docxFromHtml(HTML)]);
    const token = await server.login('drafter1');
    drafter1 = server.api(token);
    drafter1Id = ok(await drafter1.get<{ id: string }>('/api/auth/me')).id;
    submissionId = ok(await drafter1.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
  }, 240_000);

  it('starts a proposal whose first revision is the document’s text, attributed to the drafter, with the file recorded', async () => {
    const response = await importAs(drafter1, docx);
    expect(response.status).toBe(201);
    const answer = response.body as { proposal: { id: string; title: string; gcmObjectives: number[]; currentRevision: number; submissionId: string }; file: { filename: string; bytes: number; sha256: string }; dropped: Record<string, number> };
    const sha256 = createHash('sha256').update(docx).digest('hex');
    expect(answer.file).toEqual({ filename: 'Skills passport.docx', bytes: docx.length, sha256 });
    expect(answer.proposal).toMatchObject({ title: 'Skills passport', gcmObjectives: [5, 18], currentRevision: 1, submissionId });
    expect(answer.dropped).toMatchObject({ images: 1, tables: 1, links: 1 });
    const id = answer.proposal.id;

    const revision = ok(await drafter1.get<{ text: string; doc: { content: Array<{ type: string; attrs?: { level?: number } }> } }>(`/api/proposals/${id}/revisions/1`));
    for (const words of [
      'Skills passport for domestic workers',
      'Workers receive accurate and timely information about the programme and this trap.',
      'Measures',
      'Pre-employment orientation',
      'Pre-departure training',
      'Recognise skills',
      'Certify them',
      'Text after the image.',
      'Country of origin',
      'Country of destination',
      'Contact the focal point.',
    ]) {
      expect(revision.text).toContain(words);
    }
    const blocks = revision.doc.content.map((block) => (block.type === 'heading' ? `heading ${block.attrs?.level}` : block.type));
    expect(blocks).toEqual(['heading 2', 'paragraph', 'heading 3', 'bulletList', 'orderedList', 'paragraph', 'paragraph', 'paragraph', 'paragraph']);
    const json = JSON.stringify(revision.doc);
    expect(json).toContain('"href":"https://example.org/ciop"');
    expect(json).toContain('"href":"mailto:focal.point@example.org"');
    expect(json).not.toContain('javascript:');
    expect(json).toContain('"type":"bold"');
    expect(json).toContain('"type":"italic"');

    const timeline = ok(await drafter1.get<{ items: Array<{ revision: number; userId: string; kind: string }> }>(`/api/proposals/${id}/revisions`));
    expect(timeline.items).toEqual([expect.objectContaining({ revision: 1, userId: drafter1Id, kind: 'import' })]);

    const log = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true });
    try {
      const content = log.prepare(`SELECT metadata FROM events WHERE stream = ? AND type = 'ContentUpdated'`).all(`proposal-${id}-content`) as { metadata: string }[];
      expect(content.map((row) => JSON.parse(row.metadata))).toEqual([expect.objectContaining({ userId: drafter1Id, kind: 'import', revision: 1 })]);
      const facts = log.prepare(`SELECT type, data FROM events WHERE stream = ? ORDER BY revision`).all(`proposal-${id}`) as { type: string; data: Buffer | string }[];
      expect(facts.map((row) => row.type)).toEqual(['ProposalCreated', 'ProposalImported']);
      expect(JSON.parse(facts[1].data.toString())).toEqual({ proposalId: id, filename: 'Skills passport.docx', bytes: docx.length, sha256 });
    } finally {
      log.close();
    }
  }, 120_000);

  it('refuses delegates and chairs (403), and writes nothing for them', async () => {
    for (const who of ['delegate1', 'chair']) {
      const api = server.api(await server.login(who));
      const response = await importAs(api, docx);
      expect({ who, status: response.status }).toEqual({ who, status: 403 });
    }
  });

  it('answers 400 with the reason for what is not a Word document or not a valid request', async () => {
    const notZip = await importAs(drafter1, Buffer.from('hello, this is not a document'));
    expect(notZip.status).toBe(400);
    expect(notZip.text).toContain('not a Word document (DOCX)');
    const noBody = await drafter1.request('POST', `/api/submissions/${submissionId}/proposals/import?title=T&kind=policy&gcmObjectives=5&filename=a.docx`, undefined);
    expect(noBody.status).toBe(400);
    const badObjectives = await importAs(drafter1, docx, 'title=T&kind=policy&gcmObjectives=five&filename=a.docx');
    expect(badObjectives.status).toBe(400);
    expect(badObjectives.text).toContain('gcmObjectives');
    // JSON is not a Word document either; another media type is refused before anything parses it.
    const asJson = await drafter1.request('POST', `/api/submissions/${submissionId}/proposals/import?title=T&kind=policy&gcmObjectives=5&filename=a.docx`, { doc: 1 });
    expect(asJson.status).toBe(400);
    const asText = await drafter1.request('POST', `/api/submissions/${submissionId}/proposals/import?title=T&kind=policy&gcmObjectives=5&filename=a.docx`, 'x', { 'content-type': 'text/plain' });
    expect(asText.status).toBe(415);
  });

  it('keeps file bodies to the two upload routes (415 elsewhere)', async () => {
    const elsewhere = await drafter1.request('POST', `/api/submissions/${submissionId}/proposals/import/other`, docx, { 'content-type': 'application/octet-stream' });
    expect(elsewhere.status).toBe(415);
    const proposals = await drafter1.request('POST', '/api/proposals', docx, { 'content-type': 'application/octet-stream' });
    expect(proposals.status).toBe(415);
  });
});
