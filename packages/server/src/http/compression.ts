import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CompressionOptions {
  readonly thresholdBytes: number;
  /** Dynamic pages are compressed per response (or once, when cached): 4–5 is the sweet spot. */
  readonly brotliQuality: number;
}

/**
 * br and gzip negotiated from Accept-Encoding (q-values honoured by @fastify/compress); nothing
 * below the threshold, nothing already compressed (images, fonts, precompressed assets, responses
 * that set Content-Encoding), no server-sent events.
 */
async function compressionPlugin(fastify: FastifyInstance, options: CompressionOptions): Promise<void> {
  await fastify.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: options.thresholdBytes,
    brotliOptions: {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    },
    zlibOptions: { level: 6 },
    customTypes:
      /^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)xml(?:;|$)|^image\/svg\+xml|^application\/(?:javascript|manifest\+json)/,
  });
}

export const compression = fp(compressionPlugin, { name: '@composable-svelte/compression', fastify: '5.x' });
