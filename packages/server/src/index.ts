/// <reference types="@fastify/csrf-protection" preserve="true" />
/// <reference types="@fastify/rate-limit" preserve="true" />
// What createServer adds to Fastify's types (instance decorations, request fields, route options):
// imported for their declarations, so `server.pageCache`, `server.start()` or a route's
// `config: { cacheControl }` type-check for apps that import only this entry.
import './server/listeners.js';
import './server/drain.js';
import './server/backends.js';
import './cache/page-cache-plugin.js';
import './observability/metrics.js';
import './observability/readiness.js';
import './observability/trace-context.js';
import './lifecycle/in-flight.js';
import './http/cache-control.js';
import './http/representation.js';
import './security/headers.js';
import './security/csrf.js';
import './auth/fastify-types.js';
import './prerender/prerender-target.js';

/**
 * The main entry: what an app needs. Each concern's plugins, for composing a server by hand, are
 * subpath exports (`@composable-svelte/server/security`, `/cache`, `/http`, …).
 */
export { createServer } from './create-server.js';
export type { ComposableServer, CreateServerOptions, SecurityOptions } from './create-server.js';
export { defineApp } from './app.js';
export type { AppDefinition, PageError, PageLoad, PageRouter, RequestContext } from './app.js';
export { HttpError } from './errors/http-error.js';
export { runApp } from './lifecycle/run-app.js';
export type { RunAppOptions } from './lifecycle/run-app.js';
export { runServer } from './lifecycle/run-server.js';
export type { AppEnv, ServerConfig } from './config/load-config.js';
