import { filenameOf } from './documents-api';

describe('filenameOf', () => {
  it('prefers the UTF-8 name, falls back to the plain one, and knows when there is none', () => {
    expect(filenameOf(`attachment; filename="a_b.docx"; filename*=UTF-8''a%C3%A9b.docx`)).toBe('aéb.docx');
    expect(filenameOf('attachment; filename="plain.pdf"')).toBe('plain.pdf');
    expect(filenameOf(`attachment; filename="x.docx"; filename*=UTF-8''%E0%A4%A`)).toBe('x.docx');
    expect(filenameOf(null)).toBeNull();
    expect(filenameOf('inline')).toBeNull();
  });
});
