/// <reference types="@fastify/csrf-protection" preserve="true" />
/// <reference types="@fastify/rate-limit" preserve="true" />
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
export type { ServerConfig } from './config/load-config.js';
