import { sha256Hex } from '@concord/integrity';
import { emailReservationStream } from '../streams';
import { normalizeEmail } from '../user/email';

/**
 * The naming of email reservation streams before issue 9: `user-email-<sha256(address)>`, an
 * unsalted hash anyone can test a guessed address against. Kept only to recognise and migrate logs
 * written that way (and to write such logs in tests); nothing appends under it any more.
 */
export const legacyEmailReservationStream = (email: string) => `user-email-${sha256Hex(normalizeEmail(email))}`;

const LEGACY_NAME = /^user-email-([0-9a-f]{64})$/;

/**
 * The new name of a stream written under the legacy naming, given its first event, or null when it
 * is not one: the name must be the sha256 of the address its EmailReserved event holds (a stream
 * already named by the HMAC is left alone, so the migration can run on any log, any number of times).
 */
export function migratedEmailReservationStream(
  stream: string,
  firstEvent: { type: string; data: unknown },
  streamKey: string,
): string | null {
  const match = LEGACY_NAME.exec(stream);
  if (!match || firstEvent.type !== 'EmailReserved') return null;
  const email = (firstEvent.data as { email?: unknown } | null)?.email;
  if (typeof email !== 'string' || sha256Hex(normalizeEmail(email)) !== match[1]) return null;
  return emailReservationStream(email, streamKey);
}
