import { defineConfig } from 'drizzle-kit';

/**
 * The auth tables' migration for the framework's own tests (an app generates its own, from its
 * schema re-exporting these tables). `npm run db:auth-fixture -w packages/server` regenerates it;
 * auth-schema-fixture.test.ts fails when it is out of date.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/auth/**/*schema*.ts',
  out: process.env.AUTH_MIGRATIONS_OUT ?? './tests/fixtures/migrations/auth',
});
