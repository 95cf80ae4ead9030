import { sharedContent } from './shared-content';

describe('sharedContent', () => {
  it('should work', () => {
    expect(sharedContent()).toEqual('shared-content');
  })
})
