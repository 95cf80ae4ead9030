import { apiCollab } from './api-collab';

describe('apiCollab', () => {
  it('should work', () => {
    expect(apiCollab()).toEqual('api-collab');
  })
})
