import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AnyServices } from './service-registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's services, started before the first request (when the services plugin is registered). */
    services: AnyServices;
  }
  interface FastifyRequest {
    /** The same registry, for route handlers and a store's `dependencies(context)`: `context.request.services.all()`. */
    services: AnyServices;
  }
}

export interface ServicesPluginOptions {
  readonly services: AnyServices;
}

/** What shutdown keeps back from the services for the rest of the close (the database, listeners). */
const CLOSE_MARGIN_MS = 500;

/**
 * Starts the services when the plugin registers (a failure stops start-up), puts them on the
 * instance and each request, reports each on /ready, and ties them to shutdown: when `shutdown()`
 * begins they drain at once (job workers stop fetching) while requests finish, then, after the
 * requests, they stop in reverse order with what is left of SHUTDOWN_TIMEOUT_MS. Register it after
 * the database plugin: hooks close in reverse, so the services stop before the database closes.
 */
async function servicesPlugin(fastify: FastifyInstance, options: ServicesPluginOptions): Promise<void> {
  const { services } = options;
  await services.start();
  fastify.decorate('services', services);
  fastify.decorateRequest('services', {
    getter() {
      return services;
    },
  });
  if (fastify.hasDecorator('readiness')) {
    for (const name of services.order) fastify.readiness.checks.set(name, () => services.check(name));
  }
  let shutdownBegan: number | undefined;
  if (fastify.hasDecorator('shutdown')) {
    const shutdown = fastify.shutdown;
    fastify.shutdown = async () => {
      shutdownBegan ??= Date.now();
      await services.drain().catch((error: unknown) => fastify.log.error({ err: error }, 'services: drain failed'));
      await shutdown();
    };
  }
  fastify.addHook('onClose', async () => {
    const budget = fastify.hasDecorator('config') ? fastify.config.shutdownTimeoutMs : 10_000;
    const elapsed = shutdownBegan === undefined ? 0 : Date.now() - shutdownBegan;
    const timeoutMs = Math.max(1000, budget - elapsed - CLOSE_MARGIN_MS);
    await services
      .stop({ timeoutMs })
      .catch((error: unknown) => fastify.log.error({ err: error }, 'services: stop failed'));
  });
}

export const services = fp(servicesPlugin, { name: '@composable-svelte/services', fastify: '5.x' });
