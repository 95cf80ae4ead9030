import type { Role } from '@concord/contracts';
import { forbidden } from './domain-error';

/** Who sends a command, as authenticated by the application layer. */
export interface Principal {
  readonly userId: string;
  /** Platform administrator. */
  readonly isAdmin: boolean;
}

/** A principal with the roles the handler looked up in the workspace the command concerns. */
export interface Actor extends Principal {
  readonly roles: readonly Role[];
}

const ROLE_NAMES: Readonly<Record<Role, true>> = { drafter: true, chair: true, auditor: true, admin: true, delegate: true };

const ROLE_LIST = Object.keys(ROLE_NAMES);
/** "drafter, chair, … and delegate", for refusals that name every role. */
export const ROLES_IN_WORDS = `${ROLE_LIST.slice(0, -1).join(', ')} and ${ROLE_LIST[ROLE_LIST.length - 1]}`;

export const isRole = (value: unknown): value is Role => typeof value === 'string' && Object.hasOwn(ROLE_NAMES, value);

const withArticle = (role: Role) => (role === 'admin' || role === 'auditor' ? `an ${role}` : `a ${role}`);

/** A platform administrator counts as an `admin` of every workspace, and as nothing else. */
export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  const permitted = allowed.some((role) => actor.roles.includes(role) || (role === 'admin' && actor.isAdmin));
  if (!permitted) {
    throw forbidden(`Only ${allowed.map(withArticle).join(' or ')} of this workspace may ${action}.`);
  }
}

