import { defineConfig } from 'drizzle-kit';

/** The framework's outbox table as a migration, for the tests (apps generate it with their own schema). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/events/schema.ts',
  out: './tests/fixtures/migrations/events',
});
