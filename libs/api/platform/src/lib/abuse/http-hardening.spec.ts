import { isDocumentUploadPath } from './http-hardening';

describe('isDocumentUploadPath (the only paths that read a file as their body)', () => {
  it.each([
    ['/api/documents/verify', true],
    ['/api/submissions/0b6f4a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/proposals/import', true],
    ['/api/submissions//proposals/import', false],
    ['/api/submissions/a/b/proposals/import', false],
    ['/api/submissions/x/proposals/import/other', false],
    ['/api/submissions/x/proposals', false],
    ['/api/proposals', false],
    ['/api/documents/verify/x', false],
    ['/x/api/documents/verify', false],
  ])('%s → %s', (path, expected) => expect(isDocumentUploadPath(path)).toBe(expected));
});
