import { strToU8, zipSync } from 'fflate';
import { Document, ExternalHyperlink, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import type { PmNode } from './document-model';
import { htmlToEditorDoc, importableHref, importDocx, MAX_WORD_IMPORT_BYTES, WordImportError } from './word-import';

const text = (value: string, marks?: PmNode['marks']): PmNode => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const para = (...content: PmNode[]): PmNode => ({ type: 'paragraph', content });

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

async function docxOf(children: (Paragraph | Table)[]): Promise<Uint8Array> {
  const document = new Document({
    numbering: { config: [{ reference: 'numbers', levels: [{ level: 0, format: 'decimal', text: '%1.', alignment: 'left' }] }] },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

describe('importDocx', () => {
  it('keeps headings (Heading 1 → 2, Heading 2 → 3), paragraphs, lists, bold, italic and web links', async () => {
    const file = await docxOf([
      new Paragraph({ text: 'Skills passport', heading: HeadingLevel.HEADING_1 }),
      new Paragraph({
        children: [
          new TextRun('Workers receive '),
          new TextRun({ text: 'accurate', bold: true }),
          new TextRun(' and '),
          new TextRun({ text: 'timely', italics: true }),
          new TextRun(' information: '),
          new ExternalHyperlink({ link: 'https://example.org/ciop', children: [new TextRun('the programme')] }),
          new TextRun('.'),
        ],
      }),
      new Paragraph({ text: 'Measures', heading: HeadingLevel.HEADING_2 }),
      new Paragraph({ text: 'Pre-employment', bullet: { level: 0 } }),
      new Paragraph({ text: 'Pre-departure', bullet: { level: 0 } }),
      new Paragraph({ text: 'First step', numbering: { reference: 'numbers', level: 0 } }),
      new Paragraph({ text: 'Second step', numbering: { reference: 'numbers', level: 0 } }),
      new Paragraph({ text: 'Details', heading: HeadingLevel.HEADING_4 }),
    ]);
    const { doc } = await importDocx(file);
    expect(doc).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [text('Skills passport')] },
        para(
          text('Workers receive '),
          text('accurate', [{ type: 'bold' }]),
          text(' and '),
          text('timely', [{ type: 'italic' }]),
          text(' information: '),
          text('the programme', [{ type: 'link', attrs: { href: 'https://example.org/ciop' } }]),
          text('.'),
        ),
        { type: 'heading', attrs: { level: 3 }, content: [text('Measures')] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('Pre-employment'))] }, { type: 'listItem', content: [para(text('Pre-departure'))] }] },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [para(text('First step'))] }, { type: 'listItem', content: [para(text('Second step'))] }] },
        { type: 'heading', attrs: { level: 3 }, content: [text('Details')] },
      ],
    });
  });

  it('drops images, turns a table into paragraphs of its text and says what it left out', async () => {
    const file = await docxOf([
      new Paragraph({ children: [new TextRun('Before '), new ImageRun({ type: 'png', data: PNG, transformation: { width: 10, height: 10 } }), new TextRun('after')] }),
      new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('Cell A')] }), new TableCell({ children: [new Paragraph('Cell B')] })] })] }),
    ]);
    const { doc, dropped } = await importDocx(file);
    expect(doc.content).toEqual([para(text('Before after')), para(text('Cell A')), para(text('Cell B'))]);
    expect(dropped).toEqual({ images: 1, tables: 1 });
  });

  it('keeps the words of a javascript: or data: link but not the link', async () => {
    const file = await docxOf([
      new Paragraph({
        children: [
          new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('click')] }),
          new TextRun(' '),
          new ExternalHyperlink({ link: 'mailto:focal.point@example.org', children: [new TextRun('write')] }),
        ],
      }),
    ]);
    const { doc, dropped } = await importDocx(file);
    expect(doc.content).toEqual([para(text('click '), text('write', [{ type: 'link', attrs: { href: 'mailto:focal.point@example.org' } }]))]);
    expect(dropped).toEqual({ links: 1 });
  });

  it('refuses what is not a DOCX with a reason', async () => {
    await expect(importDocx(strToU8('hello, not a document'))).rejects.toThrow(new WordImportError('The file is not a Word document (DOCX): it is not a ZIP package. Save it as .docx (Word 2007 or later) and try again.'));
    await expect(importDocx(new Uint8Array())).rejects.toThrow('The file is empty.');
    await expect(importDocx(zipSync({ 'hello.txt': strToU8('hi') }))).rejects.toThrow(/no word\/document\.xml/);
    await expect(importDocx(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))).rejects.toThrow(WordImportError);
    const broken = zipSync({ 'word/document.xml': strToU8('<w:document><w:body><w:p>') });
    await expect(importDocx(broken)).rejects.toThrow(WordImportError);
  });

  it('refuses a file over the upload limit and a package that unpacks too large, before inflating it', async () => {
    const huge = new Uint8Array(MAX_WORD_IMPORT_BYTES + 1);
    huge.set([0x50, 0x4b]);
    await expect(importDocx(huge)).rejects.toThrow(/larger than 25 MiB/);
    // 300 MiB of zeros compress to a few hundred kB: a zip bomb.
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(300 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_WORD_IMPORT_BYTES);
    await expect(importDocx(bomb)).rejects.toThrow(/unpacks to more than 200 MiB/);
  });

  it('refuses a document without text', async () => {
    await expect(importDocx(await docxOf([new Paragraph('')]))).rejects.toThrow('The Word document holds no text to import.');
  });
});

describe('htmlToEditorDoc (the walk over mammoth’s HTML)', () => {
  it('keeps nothing but the editor’s nodes and marks', () => {
    const doc = htmlToEditorDoc(
      '<h1 style="color:red" onclick="x()">T</h1><p class="x"><u>under</u><s>struck</s><sup>1</sup><span style="font-family:Comic Sans">plain</span></p>' +
        '<script>alert(1)</script><p><a href="  HTTPS://example.org ">x</a><a href="vbscript:x">y</a><a href="#footnote-1">[1]</a></p><hr/><p>a<br/>b<br/></p>',
    );
    expect(doc).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [text('T')] },
        para(text('understruck1plain')),
        para(text('x', [{ type: 'link', attrs: { href: 'HTTPS://example.org' } }]), text('y[1]')),
        para(text('a'), { type: 'hardBreak' }, text('b')),
      ],
    });
  });

  it('nests lists and quotes as the editor does and starts every list item with a paragraph', () => {
    const doc = htmlToEditorDoc('<ul><li><ol start="3"><li>deep</li></ol></li></ul><blockquote><p>Q <strong><em>both</em></strong></p></blockquote>');
    expect(doc.content).toEqual([
      {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph' }, { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [para(text('deep'))] }] }] }],
      },
      { type: 'blockquote', content: [para(text('Q '), text('both', [{ type: 'bold' }, { type: 'italic' }]))] },
    ]);
  });

  it('refuses nesting deeper than the editor could show', () => {
    expect(() => htmlToEditorDoc(`${'<ul><li>'.repeat(200)}x`)).toThrow(/nests its content too deeply/);
  });

  it('drops control characters from text', () => {
    expect(htmlToEditorDoc('<p>a\u0001b\u0000c\td</p>').content).toEqual([para(text('abc d'))]);
  });
});

describe('importableHref', () => {
  it.each([
    ['https://example.org', 'https://example.org'],
    [' mailto:a@b.org ', 'mailto:a@b.org'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['data:text/html,x', null],
    ['https://exa\nmple.org', null],
    [`https://example.org/${'x'.repeat(2100)}`, null],
    [undefined, null],
  ])('%s → %s', (href, expected) => expect(importableHref(href)).toBe(expected));
});
