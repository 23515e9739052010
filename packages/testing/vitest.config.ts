import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'testing', include: ['tests/**/*.test.ts'], environment: 'node' },
});
