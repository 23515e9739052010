import type { Principal } from './principal.js';

/** What a guard decides from: who is asking (null: nobody signed in). */
export interface GuardContext {
  readonly principal: Principal | null;
}

export type GuardDecision =
  | { readonly allow: true }
  /** 401: prove who you are (sign in). 403: you are known and may not. */
  | { readonly allow: false; readonly status: 401 | 403; readonly message: string };

/** A plain function of the request context: composable with {@link allOf} and {@link anyOf}. */
export type Guard = (context: GuardContext) => GuardDecision;

/**
 * A route's requirement (`config: { auth }` on Fastify routes, `auth(route)` on app pages).
 * `roles`: the viewer has at least one of them. `scopes`: the credential was granted every one
 * (a session may do anything its viewer's roles allow). A guard function for anything else.
 */
export type AuthRequirement =
  'required' | 'optional' | { readonly roles: readonly string[] } | { readonly scopes: readonly string[] } | Guard;

const ALLOW: GuardDecision = { allow: true };

export const anyone: Guard = () => ALLOW;

export const signedIn: Guard = ({ principal }) =>
  principal ? ALLOW : { allow: false, status: 401, message: 'Sign in to continue.' };

export function hasRole(...roles: readonly string[]): Guard {
  return (context) => {
    const identified = signedIn(context);
    if (!identified.allow) return identified;
    return roles.some((role) => context.principal!.viewer.roles.includes(role))
      ? ALLOW
      : { allow: false, status: 403, message: `This needs the ${roles.join(' or ')} role.` };
  };
}

export function hasScopes(...scopes: readonly string[]): Guard {
  return (context) => {
    const identified = signedIn(context);
    if (!identified.allow) return identified;
    const granted = context.principal!.scopes;
    const missing = granted === 'all' ? [] : scopes.filter((scope) => !granted.includes(scope));
    return missing.length === 0
      ? ALLOW
      : { allow: false, status: 403, message: `This credential lacks the scope ${missing.join(', ')}.` };
  };
}

/** Allowed when every guard allows; the first refusal is the answer. */
export function allOf(...guards: readonly Guard[]): Guard {
  return (context) => {
    for (const guard of guards) {
      const decision = guard(context);
      if (!decision.allow) return decision;
    }
    return ALLOW;
  };
}

/** Allowed when any guard allows; otherwise a 401 if any said "sign in", so signing in is offered first. */
export function anyOf(...guards: readonly Guard[]): Guard {
  return (context) => {
    const refusals: GuardDecision[] = [];
    for (const guard of guards) {
      const decision = guard(context);
      if (decision.allow) return decision;
      refusals.push(decision);
    }
    return (
      refusals.find((refusal) => !refusal.allow && refusal.status === 401) ??
      refusals[0] ?? { allow: false, status: 403, message: 'Not allowed.' }
    );
  };
}

export function guardFor(requirement: AuthRequirement): Guard {
  if (typeof requirement === 'function') return requirement;
  if (requirement === 'required') return signedIn;
  if (requirement === 'optional') return anyone;
  if ('roles' in requirement) return hasRole(...requirement.roles);
  return hasScopes(...requirement.scopes);
}
