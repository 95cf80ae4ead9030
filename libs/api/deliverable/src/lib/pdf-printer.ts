import { existsSync } from 'node:fs';
import { Injectable, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { PDFDocument } from 'pdf-lib';
import { type Browser, chromium } from 'playwright-core';
import { type DocumentManifest, PDF_MANIFEST_PREFIX } from '@concord/document';
import { rootLogger } from '@concord/api/platform';

/** `CHROMIUM_PATH` when set (and only it: a wrong path is not silently replaced), else where Debian puts Chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env['CHROMIUM_PATH']?.trim();
  if (configured) return existsSync(configured) ? configured : null;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)) ?? null;
}

/**
 * Prints the print view of an export to PDF with headless Chromium (chosen for fidelity: it shapes
 * Arabic and lays it out right to left, and embeds the Noto fonts that cover the six UN languages —
 * pdfmake has no right-to-left, pdf-lib no shaping, pdfkit's right-to-left lines are broken), then
 * writes the manifest into the PDF's document information with pdf-lib. One browser per process,
 * started at the first PDF; each print gets its own context with JavaScript off and no network.
 */
@Injectable()
export class PdfPrinter implements OnApplicationShutdown {
  private readonly log = rootLogger.child({ context: 'PdfPrinter' });
  private browser: Promise<Browser> | null = null;

  async print(html: string, title: string, manifest: DocumentManifest): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: '<div style="font-size:8pt;width:100%;text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        margin: { top: '20mm', bottom: '20mm', left: '20mm', right: '20mm' },
      });
      return await withManifest(pdf, title, manifest);
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const executablePath = chromiumPath();
      if (!executablePath) {
        throw new ServiceUnavailableException(
          process.env['CHROMIUM_PATH']?.trim()
            ? `PDF export needs Chromium on the server, and CHROMIUM_PATH (${process.env['CHROMIUM_PATH']}) names no file. DOCX export works without it.`
            : "PDF export needs Chromium on the server: install Debian's chromium package or set CHROMIUM_PATH. DOCX export works without it.",
        );
      }
      this.log.info({ executablePath }, 'starting headless Chromium for PDF export');
      this.browser = chromium
        .launch({
          executablePath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        })
        .then((browser) => {
          browser.on('disconnected', () => {
            this.log.warn('headless Chromium exited; the next PDF starts it again');
            this.browser = null;
          });
          return browser;
        })
        .catch((error: unknown) => {
          this.browser = null;
          this.log.error({ err: error }, 'headless Chromium could not be started');
          throw new ServiceUnavailableException(`PDF export could not start Chromium: ${(error as Error).message}`);
        });
    }
    return this.browser;
  }

  async onApplicationShutdown(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }
}

async function withManifest(pdf: Uint8Array, title: string, manifest: DocumentManifest): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(title);
  doc.setAuthor('Concord');
  doc.setCreator('Concord');
  doc.setProducer('Concord (headless Chromium, pdf-lib)');
  doc.setKeywords([`concord-export:${manifest.exportId}`]);
  doc.setSubject(`${PDF_MANIFEST_PREFIX}${JSON.stringify(manifest)}`);
  return Buffer.from(await doc.save());
}

