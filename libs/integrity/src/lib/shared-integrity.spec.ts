import { sharedIntegrity } from './shared-integrity';

describe('sharedIntegrity', () => {
  it('should work', () => {
    expect(sharedIntegrity()).toEqual('shared-integrity');
  })
})
