import type { MemberStateDto } from '@concord/contracts';
import { findMemberState } from '@concord/reference';

/**
 * The member state a delegate of `iscmId` represents, named from the reference data (a code the
 * reference data no longer lists keeps its code as its name); null for no code.
 */
export function memberStateIn(iscmId: string, code: string | null | undefined): MemberStateDto | null {
  if (!code) return null;
  return findMemberState(iscmId, code) ?? { code, name: code };
}

/**
 * The one way a user's name is shown to other users of a workspace: a delegate speaks for a member
 * state, so their name carries it — "Priya Sharma (India)".
 */
export function displayName(name: string, memberState: MemberStateDto | null): string {
  return memberState ? `${name} (${memberState.name})` : name;
}
