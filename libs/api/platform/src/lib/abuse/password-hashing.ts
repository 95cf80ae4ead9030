import { Inject, Injectable } from '@nestjs/common';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords';
import { BoundedConcurrency } from './bounded-concurrency';

/**
 * Argon2id behind a bound: each hash holds ~19 MiB and a core, so at most LOGIN_HASH_CONCURRENCY
 * run at once and LOGIN_HASH_QUEUE wait; beyond that the request is refused (503, Retry-After).
 */
@Injectable()
export class PasswordHashing {
  private readonly gate: BoundedConcurrency;

  constructor(@Inject(CONCORD_CONFIG) config: ConcordConfig) {
    this.gate = new BoundedConcurrency(
      config.passwordHashing.concurrency,
      config.passwordHashing.queue,
      'Too many sign-ins are being checked at once; retry shortly',
    );
  }

  hash(password: string): Promise<string> {
    return this.gate.run(() => hashPassword(password));
  }

  /** Verifies against a decoy hash when there is no account, so that timing does not reveal it. */
  verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    return this.gate.run(async () => verifyPassword(passwordHash ?? (await decoyPasswordHash()), password));
  }
}
