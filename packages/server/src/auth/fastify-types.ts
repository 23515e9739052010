import type { FastifyReply } from 'fastify';
import type { AuthService } from './auth-service.js';
import type { AuthRequirement } from './guards.js';
import type { Principal } from './principal.js';

/** What the auth plugin adds to Fastify's types; imported for its declarations. */
declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request (null: nobody signed in), resolved before the route runs. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Accounts, sessions, passwords, flash messages and the audit log, when the auth plugin is registered. */
    auth?: AuthService;
    /**
     * Applies a requirement to a request: resolves undefined when allowed; redirects a browser to
     * sign in (resolving the reply); throws 401/403 otherwise.
     */
    authorize?: (
      request: FastifyRequest,
      reply: FastifyReply,
      requirement: AuthRequirement,
    ) => Promise<FastifyReply | undefined>;
  }
  interface FastifyContextConfig {
    /**
     * Who may call this route: 'required', 'optional' (the default), { roles }, { scopes } or a
     * guard. `false`: the route checks a credential of its own (the /metrics token), so the
     * session and the bearer authenticators are not consulted and `request.principal` stays null.
     */
    auth?: AuthRequirement | false;
  }
}
