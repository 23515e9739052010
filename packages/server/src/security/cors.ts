import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CorsOptions {
  /** Exact origins allowed; empty turns CORS off (no Access-Control-* headers at all). */
  readonly origins: readonly string[];
  /** Credentials are only ever allowed together with explicit origins, never with a wildcard. */
  readonly credentials?: boolean;
  readonly methods?: readonly string[];
  readonly maxAgeSeconds?: number;
}

async function corsPlugin(fastify: FastifyInstance, options: CorsOptions): Promise<void> {
  if (options.origins.length === 0) return;
  const allowed = new Set(options.origins);
  await fastify.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: options.credentials ?? false,
    methods: [...(options.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])],
    allowedHeaders: ['content-type', 'x-csrf-token', 'authorization'],
    maxAge: options.maxAgeSeconds ?? 600,
    strictPreflight: true,
  });
}

/** CORS off by default; an allow-list of exact origins when configured, preflight handled. */
export const corsPolicy = fp(corsPlugin, { name: '@composable-svelte/cors', fastify: '5.x' });
