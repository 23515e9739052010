import { defineConfig } from 'drizzle-kit';

/** The test fixture migration for the OAuth and mail-token tables, with the accounts table they reference. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/auth/schema.ts', './src/auth/oauth/schema.ts', './src/auth/reset/schema.ts'],
  out: './tests/fixtures/migrations/auth-oauth',
});
