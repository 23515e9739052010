// `npm start`: the production build. Production requires SESSION_SECRET; for a local run without
// one, a secret is generated once into .local-session-secret (mode 0600, ignored by git) so CSRF
// tokens and sessions survive restarts. Real deployments set SESSION_SECRET themselves.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

process.env.NODE_ENV ??= 'production';
if (!process.env.SESSION_SECRET) {
  const file = new URL('../.local-session-secret', import.meta.url);
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  process.env.SESSION_SECRET = readFileSync(file, 'utf8').trim();
  console.error('SESSION_SECRET not set: using the local one in .local-session-secret');
}
process.env.PUBLIC_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
await import('../dist/server/entry.js');
