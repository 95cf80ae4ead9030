import { recoveryCodesFile } from './recovery-codes';

describe('recoveryCodesFile', () => {
  it('lists every code on its own line under a heading naming the account', () => {
    const text = recoveryCodesFile('amina@add.example', ['abcde-fghjk', 'mnpqr-stuvw'], new Date('2026-12-06T10:00:00Z'));
    expect(text.split('\n')).toEqual([
      'Concord recovery codes for amina@add.example',
      'Issued 2026-12-06T10:00:00.000Z. Each code works once, instead of a code from your authenticator.',
      '',
      'abcde-fghjk',
      'mnpqr-stuvw',
      '',
    ]);
  });
});
