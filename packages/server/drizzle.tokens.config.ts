import { defineConfig } from 'drizzle-kit';

/** The token tables' test fixture migration (tests/fixtures/migrations/auth-tokens); apps generate their own. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/auth/schema.ts', './src/auth/tokens/schema.ts'],
  out: './tests/fixtures/migrations/auth-tokens',
});
