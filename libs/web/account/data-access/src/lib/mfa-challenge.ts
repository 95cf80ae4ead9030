import { Injectable, signal } from '@angular/core';

/**
 * The pending second step of a sign-in: the short-lived `mfaToken` the password step answered.
 * Kept in memory only (a reload starts the sign-in again), never in storage.
 */
@Injectable({ providedIn: 'root' })
export class MfaChallenge {
  private readonly token = signal<string | null>(null);
  readonly pending = this.token.asReadonly();

  begin(mfaToken: string): void {
    this.token.set(mfaToken);
  }

  clear(): void {
    this.token.set(null);
  }
}
