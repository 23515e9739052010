import { badRequest } from '../errors/http-error.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An address as stored: trimmed, its case kept (the unique index compares lower-case). */
export function parseEmail(value: unknown): string {
  const email = typeof value === 'string' ? value.trim() : '';
  if (email === '') throw badRequest('Enter an e-mail address.', { details: { field: 'email' } });
  if (email.length > 254 || !EMAIL.test(email) || CONTROL.test(email))
    throw badRequest('Enter a valid e-mail address, like name@example.com.', { details: { field: 'email' } });
  return email;
}

export function parseName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') throw badRequest('Enter a name.', { details: { field: 'name' } });
  if ([...name].length > 100)
    throw badRequest('The name must have at most 100 characters.', { details: { field: 'name' } });
  if (CONTROL.test(name))
    throw badRequest('The name cannot contain control characters.', { details: { field: 'name' } });
  return name;
}

export function parseRoles(value: unknown): string[] {
  const roles = Array.isArray(value) ? value : [];
  if (!roles.every((role): role is string => typeof role === 'string' && /^[a-z][a-z0-9_-]{0,31}$/.test(role)))
    throw badRequest('Roles are lower-case names of letters, digits, - and _ (at most 32 characters).', {
      details: { field: 'roles' },
    });
  return [...new Set(roles)].sort();
}
