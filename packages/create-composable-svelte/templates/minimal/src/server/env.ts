import { Type, type Static } from '@sinclair/typebox';

/**
 * The app's own environment variables, validated with the server's at start-up (every problem of
 * both in one list) and read in handlers as `fastify.config.app` / `request.server.config.app`.
 * `npm run docs:config` documents them in docs/configuration.md and .env.example.
 */
export const appEnv = Type.Object({
  GREETING: Type.String({
    default: 'Hello from __APP_NAME__',
    minLength: 1,
    maxLength: 200,
    'x-error': 'must be 1 to 200 characters',
    description: 'The heading of the home page.',
  }),
});

declare module '@composable-svelte/server' {
  // Types `fastify.config.app` from the schema: an interface can only merge, hence the empty body.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppEnv extends Static<typeof appEnv> {}
}
