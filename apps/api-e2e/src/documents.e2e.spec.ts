/**
 * The deliverable (issue 13) against the real server: DOCX opened by LibreOffice and compared with
 * the revisions' text, a redline's Word tracked changes compared with the diff API, a PDF with
 * Arabic and Chinese read back by poppler (and a page image kept for people to look at), every
 * export recorded as DocumentExported, and a received DOCX checked against the log — an altered
 * paragraph named.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { connectClient, firstParagraphText } from './support/collab-client';
import { haveTools, libreOfficeText, pageImage, pdfText } from './support/document-tools';

const SCREENSHOTS = join(__dirname, '../../../docs/screenshots');

const haveConsumers = haveTools('soffice', 'pdftotext', 'pdftoppm', 'pdffonts');
if (!haveConsumers) {
  // .ci/run installs them; say so rather than pass without looking.
  console.warn('SKIP documents e2e: LibreOffice (soffice) and poppler-utils are needed (apt-get install libreoffice-writer-nogui poppler-utils)');
}

async function download(server: ApiProcess, token: string, path: string): Promise<{ status: number; type: string; disposition: string; body: Buffer; text: string }> {
  const get = () => fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const response = await get();
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type') ?? '', disposition: response.headers.get('content-disposition') ?? '', body, text: body.toString('utf8') };
}

/** The `w:ins`/`w:del` elements of a DOCX body: kind, author, date and text. */
function trackedChanges(file: Buffer): { kind: string; author: string; date: string; text: string }[] {
  const xml = strFromU8(unzipSync(file)['word/document.xml']);
  const changes: { kind: string; author: string; date: string; text: string }[] = [];
  for (const match of xml.matchAll(/<w:(ins|del) ([^>]*)>([\s\S]*?)<\/w:\1>/g)) {
    const attr = (name: string) => new RegExp(`w:${name}="([^"]*)"`).exec(match[2])?.[1] ?? '';
    const text = [...match[3].matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)].map((m) => m[1]).join('');
    changes.push({ kind: match[1], author: attr('author'), date: attr('date'), text });
  }
  return changes;
}

const unescapeXml = (text: string) => text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");

(haveConsumers ? describe : describe.skip)('documents out of Concord (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter1: ApiClient;
  let drafter1Token: string;
  let drafter2Token: string;
  let delegateToken: string;
  let submissionId: string;
  let log: Database.Database;

  beforeAll(async () => {
    server = await startApi({ name: 'documents' });
    drafter1Token = await server.login('drafter1');
    drafter2Token = await server.login('drafter2');
    delegateToken = await server.login('delegate1');
    drafter1 = server.api(drafter1Token);
    submissionId = ok(await drafter1.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    log = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true });
  });

  afterAll(() => log?.close());

  const revisionText = async (id: string, revision: number): Promise<string> => ok(await drafter1.get(`/api/proposals/${id}/revisions/${revision}`)).text;

  /** A new proposal written by drafter2 through the stock client, one paragraph per line. */
  async function proposalWith(title: string, lines: string[]) {
    const { id } = ok(await drafter1.post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [23] }));
    const client = connectClient(server.collabUrl, id, drafter2Token);
    await client.synced;
    client.doc.transact(() => {
      client.content.insert(
        0,
        lines.map((line) => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(line)]);
          return paragraph;
        }),
      );
    });
    await eventually(async () => ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision > 0, { what: 'the text recorded' });
    return { id, client };
  }

  it('exports the submission as a DOCX that LibreOffice reads as the current texts, tracked suggestions included', async () => {
    const file = await download(server, drafter1Token, `/api/submissions/${submissionId}/export?format=docx&suggestions=tracked`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(file.disposition).toMatch(/^attachment; filename="[a-z0-9-]+-current\.docx"/);
    const text = await libreOfficeText(file.body);
    const proposals = ok(await drafter1.get<Array<{ id: string; title: string; currentRevision: number; status: string }>>(`/api/proposals?submissionId=${submissionId}`));
    expect(proposals.length).toBeGreaterThan(1);
    for (const proposal of proposals.filter((p) => p.status !== 'withdrawn')) {
      expect(text).toContain(proposal.title);
      for (const line of (await revisionText(proposal.id, proposal.currentRevision)).split('\n').filter((l) => l.trim())) {
        expect(text).toContain(line);
      }
    }
    expect(text).toContain('Annex: approval record');
    await pageImage(file.body, 'docx', join(SCREENSHOTS, 'export-docx-libreoffice.png'));
    // The demo's open suggestions are Word tracked changes by the delegates who made them.
    const authors = new Set(trackedChanges(file.body).map((change) => change.author));
    expect([...authors].some((name) => /\((India|United Arab Emirates)\)$/.test(name))).toBe(true);
  }, 240_000);

  it('exports one proposal at an earlier revision, to a delegate too, and records every export', async () => {
    const { id, client } = await proposalWith('Exported at an earlier revision', ['First words.', 'Second paragraph.']);
    const early = ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision;
    firstParagraphText(client.content).insert(0, 'Later ');
    await eventually(async () => ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision > early, { what: 'the later edit' });
    client.close();
    const before = (log.prepare(`SELECT count(*) AS n FROM events WHERE type = 'DocumentExported'`).get() as { n: number }).n;
    const file = await download(server, delegateToken, `/api/proposals/${id}/export?format=docx&revision=${early}`);
    expect(file.status).toBe(200);
    expect(file.disposition).toContain(`-r${early}.docx`);
    const text = await libreOfficeText(file.body);
    expect(text).toContain('1.\tFirst words.');
    expect(text).toContain('2.\tSecond paragraph.');
    expect(text).not.toContain('Later');
    const rows = log.prepare(`SELECT data, metadata FROM events WHERE type = 'DocumentExported' ORDER BY position`).all() as { data: Buffer | string; metadata: Buffer | string }[];
    expect(rows.length).toBe(before + 1);
    const last = JSON.parse(rows[rows.length - 1].data.toString());
    expect(last).toMatchObject({ kind: 'proposal', format: 'docx', submissionId, proposals: [{ id, revision: early }] });
    const delegateId = ok(await server.api(delegateToken).get('/api/auth/me')).id;
    expect(JSON.parse(rows[rows.length - 1].metadata.toString()).userId).toBe(delegateId);
  }, 240_000);

  it('includes open comment threads as Word comments when asked, by their authors, on their words', async () => {
    const { id, client } = await proposalWith('Commented', ['Workers receive accurate information.', 'Second paragraph.']);
    client.close();
    const anchorAt = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment('content'), 0))).toString('base64');
    const delegate = server.api(delegateToken);
    const thread = ok(await delegate.post(`/api/proposals/${id}/threads`, { anchor: { from: anchorAt, to: anchorAt }, quote: 'accurate information', body: 'Accurate according to whom?' }));
    ok(await drafter1.post(`/api/proposals/${id}/threads/${thread.id}/replies`, { body: 'The standard contract of the destination country.' }));
    const resolved = ok(await delegate.post(`/api/proposals/${id}/threads`, { anchor: { from: anchorAt, to: anchorAt }, quote: 'Second', body: 'Settled already.' }));
    ok(await drafter1.post(`/api/proposals/${id}/threads/${resolved.id}/resolve`));

    const without = await download(server, drafter1Token, `/api/proposals/${id}/export?format=docx`);
    expect(unzipSync(without.body)['word/comments.xml']).toBeUndefined();
    const file = await download(server, drafter1Token, `/api/proposals/${id}/export?format=docx&comments=include`);
    expect(file.status).toBe(200);
    const comments = strFromU8(unzipSync(file.body)['word/comments.xml']);
    expect(comments).toContain('w:author="Priya Sharma (India)"');
    expect(comments).toContain('Accurate according to whom?');
    expect(comments).toContain('w:author="Amina Rahman"');
    expect(comments).toContain('The standard contract of the destination country.');
    expect(comments).not.toContain('Settled already.');
    const xml = strFromU8(unzipSync(file.body)['word/document.xml']);
    expect(xml.indexOf('<w:commentRangeStart w:id="0"/>')).toBeGreaterThan(xml.indexOf('w:name="cc_1"'));
    expect(xml.indexOf('<w:commentRangeStart w:id="0"/>')).toBeLessThan(xml.indexOf('w:name="cc_2"'));
    // LibreOffice opens it, and the text is the revision's.
    const text = await libreOfficeText(file.body);
    expect(text).toContain('1.\tWorkers receive accurate information.');
    const verdict = await (
      await fetch(`${server.baseUrl}/api/documents/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${drafter1Token}`, 'content-type': 'application/octet-stream' },
        body: new Blob([new Uint8Array(file.body)]),
      })
    ).json();
    expect(verdict).toMatchObject({ valid: true, differences: [] });
  }, 240_000);

  it('answers bad requests with a reason', async () => {
    const proposalId = ok(await drafter1.get<Array<{ id: string }>>(`/api/proposals?submissionId=${submissionId}`))[0].id;
    const wrongFormat = await drafter1.get(`/api/proposals/${proposalId}/export?format=odt`);
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.text).toContain('format must be docx or pdf');
    expect((await drafter1.get(`/api/proposals/${proposalId}/export?format=docx&comments=all`)).text).toContain('comments must be omit or include');
    expect((await drafter1.get(`/api/proposals/${proposalId}/export?format=docx&revision=999999`)).status).toBe(404);
    expect((await drafter1.get(`/api/proposals/${proposalId}/redline?format=docx&from=3&to=1`)).status).toBe(400);
    const notApproved = await drafter1.get(`/api/submissions/${submissionId}/export?format=docx&revisions=approved`);
    expect(notApproved.status).toBe(409);
    expect(notApproved.text).toContain('no approval yet');
  });

  it('writes a redline whose w:ins and w:del are the diff’s changes, by their authors, at their times', async () => {
    const { id, client } = await proposalWith('Redlined', ['Workers receive information late.']);
    const from = ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision;
    // drafter2 (the stock client) inserts; drafter1 deletes words drafter2 wrote.
    const paragraph = firstParagraphText(client.content);
    paragraph.insert('Workers receive '.length, 'accurate ');
    await eventually(async () => ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision > from, { what: 'the insertion' });
    const afterInsert = ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision;
    const deleter = connectClient(server.collabUrl, id, drafter1Token);
    await deleter.synced;
    const text = firstParagraphText(deleter.content);
    await eventually(() => text.toString().includes('accurate'), { what: 'the insertion reached drafter1' });
    text.delete(text.toString().indexOf(' late'), ' late'.length);
    await eventually(async () => ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision > afterInsert, { what: 'the deletion' });
    const to = ok(await drafter1.get(`/api/proposals/${id}`)).currentRevision;
    client.close();
    deleter.close();

    const diff = ok(await drafter1.get(`/api/proposals/${id}/diff?from=${from}&to=${to}`));
    const nameOf = (userId: string) => diff.authors.find((a: { userId: string }) => a.userId === userId)?.userName;
    const file = await download(server, drafter1Token, `/api/proposals/${id}/redline?from=${from}&to=${to}&format=docx`);
    expect(file.status).toBe(200);
    expect(file.disposition).toContain(`-changes-r${from}-r${to}.docx`);
    const changes = trackedChanges(file.body).map((c) => ({ ...c, text: unescapeXml(c.text) }));
    const inserted = diff.spans.filter((s: { type: string }) => s.type === 'insert');
    const deleted = diff.spans.filter((s: { type: string }) => s.type === 'delete');
    expect(changes.filter((c) => c.kind === 'ins').map((c) => [c.author, c.text])).toEqual(inserted.map((s: { userId: string; text: string }) => [nameOf(s.userId), s.text]));
    expect(changes.filter((c) => c.kind === 'del').map((c) => c.text)).toEqual(deleted.map((s: { text: string }) => s.text));
    // Word's meaning: a deletion is by whoever deleted (drafter1), not by the words' author (drafter2).
    expect(changes.filter((c) => c.kind === 'del').map((c) => c.author)).toEqual(['Amina Rahman']);
    expect(changes.find((c) => c.kind === 'ins')?.author).toBe('Rohan Perera');
    const times = (log.prepare(`SELECT json_extract(metadata, '$.at') AS at FROM events WHERE stream = ? AND type = 'ContentUpdated'`).all(`proposal-${id}-content`) as { at: string }[]).map((r) => r.at);
    for (const change of changes) expect(times).toContain(change.date);
    expect(await libreOfficeText(file.body)).toContain('Workers receive');

    const pdf = await download(server, drafter1Token, `/api/proposals/${id}/redline?from=${from}&to=${to}&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toContain('application/pdf');
    expect(await pdfText(pdf.body)).toContain('accurate');
    await pageImage(file.body, 'docx', join(SCREENSHOTS, 'export-redline-docx.png'));
  }, 240_000);

  it('prints a PDF in which Arabic and Chinese paragraphs read correctly, and keeps a page image', async () => {
    const arabic = 'يحق لجميع العمال المهاجرين الحصول على معلومات دقيقة';
    const chinese = '所有移民工人都有权获得准确的信息';
    const russian = 'Все трудящиеся-мигранты имеют право на информацию';
    const { id, client } = await proposalWith('Information in six languages', ['Workers have a right to accurate information.', arabic, chinese, russian]);
    client.close();
    const file = await download(server, drafter1Token, `/api/proposals/${id}/export?format=pdf`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('application/pdf');
    expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(file.body);
    expect(text).toContain(chinese);
    expect(text).toContain(russian);
    // poppler writes right-to-left runs in reading order: the Arabic words come back whole.
    for (const word of ['العمال', 'المهاجرين', 'معلومات']) expect(text).toContain(word);
    const fonts = execFileSync('pdffonts', ['-'], { input: file.body, encoding: 'utf8' });
    expect(fonts).toMatch(/Noto/);
    expect(fonts.split('\n').filter((line) => /Noto/.test(line)).every((line) => /\byes\b/.test(line))).toBe(true);
    await pageImage(file.body, 'pdf', join(SCREENSHOTS, 'export-pdf-six-languages.png'));
  }, 240_000);

  it('checks a received DOCX against the log and names the altered paragraph', async () => {
    const file = await download(server, drafter1Token, `/api/submissions/${submissionId}/export?format=docx`);
    const post = (body: Buffer | Uint8Array) =>
      fetch(`${server.baseUrl}/api/documents/verify`, { method: 'POST', headers: { authorization: `Bearer ${drafter1Token}`, 'content-type': 'application/octet-stream' }, body: new Blob([new Uint8Array(body)]) });
    const genuine = await post(file.body);
    expect(genuine.status).toBe(200);
    const verdict = await genuine.json();
    expect(verdict).toMatchObject({ valid: true, recorded: true, textCompared: true, differences: [] });
    expect(verdict.proposals.length).toBeGreaterThan(1);

    // Change words of the second numbered paragraph (whatever they are) as someone editing the file would.
    const entries = unzipSync(file.body);
    const xml = strFromU8(entries['word/document.xml']);
    const second = [...xml.matchAll(/w:name="cc_(\d+)_(\d+)"/g)][1];
    expect(second).toBeDefined();
    const number = `${second[1]}.${second[2]}`;
    const start = second.index ?? 0;
    const afterTab = xml.indexOf('<w:tab/>', start);
    const open = /<w:t(?: [^>]*)?>/.exec(xml.slice(afterTab));
    expect(open).not.toBeNull();
    const close = afterTab + (open?.index ?? 0) + (open?.[0].length ?? 0);
    entries['word/document.xml'] = strToU8(`${xml.slice(0, close)}NOT AGREED ${xml.slice(close)}`);
    const altered = await (await post(zipSync(entries))).json();
    expect(altered.valid).toBe(false);
    expect(altered.differences.map((d: { number: string; problem: string }) => `${d.number} ${d.problem}`)).toEqual([`${number} altered`]);
    expect(altered.summary).toContain(`paragraph ${number}`);

    // A manifest naming an export the log does not hold.
    const forged = unzipSync(file.body);
    const custom = strFromU8(forged['docProps/custom.xml']);
    const exportId = JSON.parse(unescapeXml(/<vt:lpwstr>(\{[^<]*)<\/vt:lpwstr>/.exec(custom)?.[1] ?? '{}')).exportId as string;
    forged['docProps/custom.xml'] = strToU8(custom.split(exportId).join('00000000-0000-4000-8000-000000000000'));
    const unknown = await (await post(zipSync(forged))).json();
    expect(unknown).toMatchObject({ valid: false, recorded: false });

    const notADocument = await post(Buffer.from('hello'));
    expect(notADocument.status).toBe(400);
  }, 240_000);
});
