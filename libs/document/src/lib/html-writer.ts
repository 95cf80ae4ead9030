import type { ApprovalRecord, ExportDocumentModel } from './document-model';
import { layOutDocument, type LaidOutBlock, type Run } from './layout';
import { mergeRedlineSpans, type RedlineModel, redlineLines } from './redline';

/**
 * The print view of an exported document, for a PDF printed by headless Chromium: the same layout
 * and paragraph numbers as the DOCX. Every block has `dir="auto"`, so Arabic reads right to left
 * and is shaped by the browser; the font stack names the Noto families that cover the six UN
 * languages (Debian's fonts-noto-core and fonts-noto-cjk), which Chromium embeds in the PDF.
 */

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const STYLE = `
@page { size: A4; margin: 25mm 20mm; }
body { font-family: 'Noto Serif', 'Noto Naskh Arabic', 'Noto Sans Arabic', 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 11pt; line-height: 1.45; color: #000; }
.iscm { font-weight: bold; } .date { text-align: right; }
h1.title { font-size: 18pt; margin: 8pt 0; } .consultation { font-style: italic; } .edition { font-size: 10pt; margin-bottom: 18pt; }
h2 { font-size: 14pt; margin-top: 18pt; } h3 { font-size: 12pt; margin-top: 12pt; } h4 { font-size: 11pt; }
.introduction { margin: 6pt 0; }
.details { font-size: 9.5pt; color: #333; margin: -4pt 0 8pt; } .co-sponsors { font-size: 9.5pt; font-style: italic; margin: -4pt 0 8pt; }
.para { display: grid; grid-template-columns: 3.2em 1fr; margin: 0 0 6pt; }
.para.item { padding-inline-start: 3.2em; grid-template-columns: 2.4em 1fr; margin-bottom: 4pt; }
.para.sub { padding-inline-start: 5.6em; grid-template-columns: 2.4em 1fr; }
.para.quote .text { font-style: italic; }
.text { white-space: pre-wrap; }
ins { color: #0a5c2b; text-decoration: underline; } del { color: #a4161a; text-decoration: line-through; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; } th, td { border: 1px solid #888; padding: 3pt; text-align: start; vertical-align: top; word-break: break-all; }
.annex { break-before: page; } .footer { margin-top: 24pt; border-top: 1px solid #999; padding-top: 4pt; font-size: 8pt; word-break: break-all; }
`;

function runsHtml(runs: readonly Run[], model: Pick<ExportDocumentModel, 'people' | 'suggestions'>): string {
  return runs
    .map((run) => {
      if (run.change && model.suggestions === 'clean' && run.change.kind === 'insert') return '';
      let html = escape(run.text);
      if (run.bold) html = `<strong>${html}</strong>`;
      if (run.italic) html = `<em>${html}</em>`;
      if (run.href) html = `<a href="${escape(run.href)}">${html}</a>`;
      if (run.change && model.suggestions === 'tracked') {
        const tag = run.change.kind === 'insert' ? 'ins' : 'del';
        html = `<${tag} title="${escape(`${model.people.get(run.change.authorId) ?? run.change.authorId}, ${run.change.at}`)}">${html}</${tag}>`;
      }
      return html;
    })
    .join('');
}

function blockHtml(block: LaidOutBlock, model: ExportDocumentModel): string {
  switch (block.kind) {
    case 'section':
      // A single proposal's document has one unnumbered section: its title already heads the page.
      return block.number === null ? '' : `<h2 dir="auto">${escape(`${block.number}. ${block.text}`)}</h2>`;
    case 'proposal':
      if (block.introduction) return `<p class="introduction" dir="auto"><em>${escape(block.text)}</em></p>`;
      return `<h3 dir="auto">${escape(block.text)}</h3><p class="details">${escape(block.details)}</p>${block.coSponsors ? `<p class="co-sponsors">${escape(block.coSponsors)}</p>` : ''}`;
    case 'heading':
      return `<h4 dir="auto">${runsHtml(block.runs, model)}</h4>`;
    default: {
      const classes = ['para', block.kind === 'item' ? 'item' : '', block.kind === 'item' && block.depth === 2 ? 'sub' : '', block.kind === 'paragraph' && block.quote ? 'quote' : ''];
      return `<div class="${classes.filter(Boolean).join(' ')}" id="para-${escape(block.number)}"><span class="number">${escape(block.label)}</span><span class="text" dir="auto">${runsHtml(block.runs, model)}</span></div>`;
    }
  }
}

function annexHtml(approvals: readonly ApprovalRecord[]): string {
  const rows = approvals
    .map(
      (r) =>
        `<tr><td dir="auto">${escape(r.proposalTitle)}</td><td>${r.revision ?? 'not approved'}</td><td>${escape(r.contentHash ?? '—')}</td><td dir="auto">${escape(r.chair ?? '—')}</td><td>${escape(r.at ?? '—')}</td><td>${r.logPosition ?? '—'}</td><td>${
          r.checkpoint ? `position ${r.checkpoint.globalPosition}, root ${escape(r.checkpoint.merkleRoot)}` : 'not yet covered'
        }</td><td>${r.revision === null ? 'none' : r.current ? 'current: binds this text' : 'stale: the text has changed since'}</td></tr>`,
    )
    .join('');
  return `<section class="annex"><h2>Annex: approval record</h2><p>Each approval binds one revision of a proposal by the SHA-256 hash of its text. The log positions and the signed checkpoints let anyone check this record against the Concord event log.</p><table><thead><tr><th>Proposal</th><th>Approved revision</th><th>Content hash (SHA-256)</th><th>Chair</th><th>Approved at</th><th>Log position</th><th>Signed checkpoint</th><th>Approval</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function writeHtml(model: ExportDocumentModel): string {
  const m = model.manifest;
  return page(
    model.title,
    `<p class="date">${escape(model.date)}</p><p class="iscm" dir="auto">${escape(model.iscmName)}</p><h1 class="title" dir="auto">${escape(model.title)}</h1>` +
      `<p class="consultation" dir="auto">Input to: ${escape(model.consultation)}</p><p class="edition">${escape(model.edition)}</p>` +
      layOutDocument(model.sections)
        .map((block) => blockHtml(block, model))
        .join('') +
      (model.approvals ? annexHtml(model.approvals) : '') +
      `<p class="footer">Exported from Concord on ${escape(m.exportedAt)} (export ${escape(m.exportId)}, log position ${m.logPosition}). Texts: ${escape(
        m.proposals.map((p) => `${p.id} revision ${p.revision} (${p.contentHash})`).join('; '),
      )}.</p>`,
  );
}

export function writeRedlineHtml(model: RedlineModel): string {
  const lines = redlineLines(mergeRedlineSpans(model.spans))
    .map(
      (line) =>
        `<p dir="auto" class="text">${line
          .map((span) => {
            if (span.type === 'equal') return escape(span.text);
            const tag = span.type === 'insert' ? 'ins' : 'del';
            return `<${tag} title="${escape(`${span.author ?? ''}, ${span.at ?? ''}`)}">${escape(span.text)}</${tag}>`;
          })
          .join('')}</p>`,
    )
    .join('');
  return page(
    `${model.title} — changes`,
    `<p class="date" dir="auto">${escape(model.iscmName)}</p><h1 class="title" dir="auto">${escape(model.title)}</h1><p class="edition">Changes from revision ${model.fromRevision} (${escape(model.fromHash)}) to revision ${model.toRevision} (${escape(model.toHash)}); inserted words underlined in green, deleted words struck through in red, each with its author and time from the Concord event log.</p>${lines}<p class="footer">Export ${escape(model.manifest.exportId)}, log position ${model.manifest.logPosition}.</p>`,
  );
}
