import { apiEventStore } from './api-event-store';

describe('apiEventStore', () => {
  it('should work', () => {
    expect(apiEventStore()).toEqual('api-event-store');
  })
})
