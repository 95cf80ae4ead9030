import { EMPTY_DOCUMENT_HASH, contentHash } from './content-hash';

describe('contentHash', () => {
  it('is the sha256 of the canonical JSON of the empty document for revision 0', () => {
    expect(EMPTY_DOCUMENT_HASH).toBe('d220121877b265dcfe2d77fc13d31575a60fa3a663129c23d978f706979d5477');
  });
  it('does not depend on key order', () => {
    const paragraph = { type: 'paragraph', content: [{ type: 'text', text: 'Skills passport' }] };
    expect(contentHash({ type: 'doc', content: [paragraph] })).toBe(
      contentHash({ content: [{ content: [{ text: 'Skills passport', type: 'text' }], type: 'paragraph' }], type: 'doc' }),
    );
  });
  it('changes with the text', () => {
    expect(contentHash({ type: 'doc', content: [{ type: 'paragraph' }] })).not.toBe(EMPTY_DOCUMENT_HASH);
  });
});
