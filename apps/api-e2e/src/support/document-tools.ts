/**
 * The real document consumers the document tests use — LibreOffice (soffice) and poppler — run
 * asynchronously: a synchronous child would block the test's event loop for seconds, and the HTTP
 * client would then reuse a kept-alive connection the server has closed meanwhile.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** Whether every named program is installed (`.ci/run` installs them). */
export function haveTools(...names: string[]): boolean {
  return names.every((name) => {
    try {
      execFileSync('which', [name], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** In a fresh directory (removed afterwards), with a LibreOffice profile of its own. */
async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-doc-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** LibreOffice converts `input` (named `name`) to `filter` ("txt:Text", "pdf", "docx:MS Word 2007 XML") and answers the file it wrote. */
export function soffice(input: Buffer | string, name: string, filter: string): Promise<Buffer> {
  return inTempDir(async (dir) => {
    writeFileSync(join(dir, name), input);
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', filter, '--outdir', dir, join(dir, name)], { timeout: 180_000 });
    const extension = filter.split(':')[0];
    return readFileSync(join(dir, `${name.replace(/\.[^.]+$/, '')}.${extension}`));
  });
}

/** The text of a DOCX as LibreOffice reads it (its text output keeps tracked deletions and starts with a BOM). */
export async function libreOfficeText(docx: Buffer): Promise<string> {
  return (await soffice(docx, 'in.docx', 'txt:Text')).toString('utf8').replace(/^\uFEFF/, '');
}

/** The text of a PDF as poppler reads it (`pdftotext -layout`). */
export function pdfText(pdf: Buffer): Promise<string> {
  return inTempDir(async (dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return (await run('pdftotext', ['-layout', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' })).stdout;
  });
}

/** Page 1 of a document as people see it, saved as `target` (PNG): a DOCX as LibreOffice lays it out, a PDF as poppler renders it. */
export async function pageImage(file: Buffer, kind: 'docx' | 'pdf', target: string): Promise<void> {
  const pdf = kind === 'docx' ? await soffice(file, 'in.docx', 'pdf') : file;
  await inTempDir(async (dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, 'in.pdf'), join(dir, 'page')]);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(join(dir, 'page.png'), target);
  });
}
