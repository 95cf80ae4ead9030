import { invalid } from '../shared/domain-error';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validEmail(value: unknown): string {
  const email = typeof value === 'string' ? normalizeEmail(value) : '';
  if (!EMAIL.test(email) || email.length > 254) {
    throw invalid(`${JSON.stringify(value)} is not an email address.`);
  }
  return email;
}
