/**
 * `npm run verify -- --document <file>` (issue 13 point 6) on a DATA_DIR written by the real server:
 * a DOCX exported by the demo server checks out once the server is stopped (exit 0), the same file
 * with one paragraph's words changed is refused naming that paragraph (exit 1), a PDF is checked by
 * its export event and revisions, and a file that is not a Concord document cannot be checked
 * (exit 2). The verdict is the one the API gives (`judgeDocument` of @concord/document serves both).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ApiProcess, gracefulStop, ok, runNode, startApi, tempDir, WORKSPACE_ROOT } from './support/api-process';

/** The verify tool as the `tools-verify:verify` target runs it, with DATA_DIR set. */
function runVerifyDocument(dataDir: string, file: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: 'tools/verify/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  return runNode(
    [require.resolve('ts-node/dist/bin.js', { paths: [WORKSPACE_ROOT] }), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/verify/src/main.ts', '--document', file],
    env,
    120_000,
  );
}

/** The DOCX with "NOT AGREED " put before the words of its second numbered paragraph; returns the file and that paragraph's number. */
function alterSecondParagraph(docx: Buffer): { file: Uint8Array; number: string } {
  const entries = unzipSync(docx);
  const xml = strFromU8(entries['word/document.xml']);
  const second = [...xml.matchAll(/w:name="cc_(\d+)_(\d+)"/g)][1];
  if (!second) throw new Error('the export has fewer than two numbered paragraphs');
  const afterTab = xml.indexOf('<w:tab/>', second.index ?? 0);
  const open = /<w:t(?: [^>]*)?>/.exec(xml.slice(afterTab));
  if (!open) throw new Error('no text after the paragraph number');
  const at = afterTab + open.index + open[0].length;
  entries['word/document.xml'] = strToU8(`${xml.slice(0, at)}NOT AGREED ${xml.slice(at)}`);
  return { file: zipSync(entries), number: `${second[1]}.${second[2]}` };
}

describe('verify --document on a DATA_DIR written by the server', () => {
  let server: ApiProcess;
  let dataDir: string;
  const files = tempDir('concord-e2e-documents-');
  const genuine = join(files, 'submission.docx');
  const altered = join(files, 'altered.docx');
  const pdf = join(files, 'submission.pdf');
  let alteredNumber: string;

  beforeAll(async () => {
    server = await startApi({ name: 'verify-document' });
    const token = await server.login('drafter1');
    const submissionId = ok(await server.api(token).get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    const response = await fetch(`${server.baseUrl}/api/submissions/${submissionId}/export?format=docx`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const docx = Buffer.from(await response.arrayBuffer());
    writeFileSync(genuine, docx);
    const change = alterSecondParagraph(docx);
    writeFileSync(altered, change.file);
    alteredNumber = change.number;
    const printed = await fetch(`${server.baseUrl}/api/submissions/${submissionId}/export?format=pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(printed.status).toBe(200);
    writeFileSync(pdf, Buffer.from(await printed.arrayBuffer()));
    expect(gracefulStop(await server.stop())).toBe(true);
    dataDir = server.dataDir;
  }, 180_000);

  it('finds the genuine export valid (exit 0)', () => {
    const result = runVerifyDocument(dataDir, genuine);
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({ exitCode: 0, output: expect.stringContaining('VALID: Every numbered paragraph reads as the log') });
    expect(result.output).toMatch(/revision \d+: hash matches/);
    expect(result.output).not.toContain('HASH MISMATCH');
  });

  it('names the altered paragraph (exit 1)', () => {
    const result = runVerifyDocument(dataDir, altered);
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({ exitCode: 1, output: expect.stringContaining(`paragraph ${alteredNumber} altered`) });
    expect(result.stderr).toContain(`INVALID: The file differs from the log in paragraph ${alteredNumber} (altered)`);
    expect(result.stderr).toMatch(/file: ".*NOT AGREED /);
  });

  it('checks a PDF by its recorded export and revisions, saying its text is not compared (exit 0)', () => {
    const result = runVerifyDocument(dataDir, pdf);
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({ exitCode: 0, output: expect.stringContaining('Document: PDF, export ') });
    expect(result.output).toContain("VALID: The export is recorded and the revisions it names still hash as recorded; the PDF's text itself is not compared");
  });

  it('cannot check what is not a Concord document (exit 2)', () => {
    const notADocument = join(files, 'notes.docx');
    writeFileSync(notADocument, 'hello');
    const result = runVerifyDocument(dataDir, notADocument);
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({ exitCode: 2, output: expect.stringContaining('neither a DOCX nor a PDF') });
    expect(runVerifyDocument(dataDir, join(files, 'missing.docx')).exitCode).toBe(2);
  });
});
