import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(20, 40, 0);
    let taken = 0;
    while (bucket.take(0)) taken += 1;
    expect(taken).toBe(40);
    expect(bucket.msUntilToken(0)).toBe(50);
    expect(bucket.take(49)).toBe(false);
    expect(bucket.take(50)).toBe(true);
    // One second later: 20 more, not 40.
    let later = 0;
    while (bucket.take(1_050)) later += 1;
    expect(later).toBe(20);
  });

  it('never holds more than its burst', () => {
    const bucket = new TokenBucket(20, 40, 0);
    let taken = 0;
    while (bucket.take(60_000)) taken += 1;
    expect(taken).toBe(40);
  });

  it('refuses nonsense limits', () => {
    expect(() => new TokenBucket(0, 40, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(20, 0, 0)).toThrow(RangeError);
  });
});
