import { HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { normalizeEmail } from '@concord/domain';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import { rootLogger } from '../logging/logger';
import { LimiterStore, openLimiterStore } from './limiter-store';
import { lockoutSecondsAfter, retryAfterSeconds } from './login-throttle-policy';
import { RetryLaterException } from './retry-later.exception';

const log = rootLogger.child({ context: 'LoginThrottle' });

/** Said for every throttled sign-in, whichever limit was hit and whether the account exists. */
export const LOGIN_THROTTLED_MESSAGE = 'Too many sign-in attempts; try again later';

/**
 * Sign-in throttling per account and per client address (policy in `login-throttle-policy.ts`),
 * with counters in the shared store so that every API node enforces the same limits. Accounts
 * that do not exist are counted exactly like those that do, so the answers reveal nothing.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnApplicationShutdown {
  private store!: LimiterStore;
  private accountFailures!: RateLimiterAbstract;
  private accountLocks!: RateLimiterAbstract;
  private addressFailures!: RateLimiterAbstract;

  constructor(@Inject(CONCORD_CONFIG) private readonly config: ConcordConfig) {}

  get storeKind(): string {
    return this.store.kind;
  }

  async onModuleInit(): Promise<void> {
    const policy = this.config.loginThrottle;
    this.store = await openLimiterStore(this.config);
    this.accountFailures = await this.store.create({
      keyPrefix: 'login_account_failures',
      points: Number.MAX_SAFE_INTEGER,
      duration: policy.failureMemorySeconds,
    });
    this.accountLocks = await this.store.create({ keyPrefix: 'login_account_lock', points: 1, duration: 1 });
    this.addressFailures = await this.store.create({
      keyPrefix: 'login_address_failures',
      points: policy.addressFailures,
      duration: policy.addressWindowSeconds,
    });
    log.info({ store: this.store.kind }, 'sign-in throttling ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }

  /** Throws 429 with a Retry-After when this address or this account may not try now. */
  async admit(email: string, address: string): Promise<void> {
    const [byAddress, lock] = await Promise.all([
      this.addressFailures.get(this.key('address', address)),
      this.accountLocks.get(this.key('account', normalizeEmail(email))),
    ]);
    if (byAddress && byAddress.consumedPoints >= this.config.loginThrottle.addressFailures) {
      this.refuse('address', email, address, byAddress.msBeforeNext);
    }
    if (lock && lock.consumedPoints > 1) this.refuse('account', email, address, lock.msBeforeNext);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const account = this.key('account', normalizeEmail(email));
    const [failures] = await Promise.all([
      this.accountFailures.penalty(account, 1),
      this.addressFailures.penalty(this.key('address', address), 1),
    ]);
    const lockSeconds = lockoutSecondsAfter(failures.consumedPoints, this.config.loginThrottle);
    if (lockSeconds > 0) {
      await this.accountLocks.block(account, lockSeconds);
      log.warn(
        { email: normalizeEmail(email), address, consecutiveFailures: failures.consumedPoints, lockSeconds },
        'sign-in locked for this account after consecutive failures',
      );
    }
  }

  async recordSuccess(email: string): Promise<void> {
    const account = this.key('account', normalizeEmail(email));
    await Promise.all([this.accountFailures.delete(account), this.accountLocks.delete(account)]);
  }

  private refuse(limit: 'account' | 'address', email: string, address: string, msBeforeNext: number): never {
    const retryAfter = retryAfterSeconds(msBeforeNext);
    log.warn({ email: normalizeEmail(email), address, limit, retryAfterSeconds: retryAfter }, 'sign-in refused: throttled');
    throw new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, LOGIN_THROTTLED_MESSAGE, retryAfter);
  }

  /**
   * Store keys are keyed hashes: no email or address sits in Redis or the database in clear, keys
   * stay short, and nodes sharing JWT_SECRET (as a cluster must) share the counters.
   */
  private key(kind: 'account' | 'address', value: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`${kind}:${value}`).digest('base64url');
  }
}
