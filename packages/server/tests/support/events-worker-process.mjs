/**
 * An instance in its own process, for the outbox crash test: it claims `comment.created` events
 * under a 1.5 s lease, says on stdout when it is handling one, then holds it until it is killed.
 * DATABASE_URL names the shared PostgreSQL database. Imports the built package (npm run build).
 */
import { Type } from '@sinclair/typebox';
import { openDatabase } from '../../dist/db/index.js';
import { createEvents } from '../../dist/events/index.js';

const database = await openDatabase({ url: process.env.DATABASE_URL });
const events = createEvents({
  database,
  events: { 'comment.created': Type.Object({ postId: Type.Integer(), body: Type.String() }) },
  leaseMs: 1500,
  pollIntervalMs: 200,
});
events.on('comment.created', 'hang', async (_payload, event) => {
  process.stdout.write(`handling ${event.id}\n`);
  await new Promise(() => {});
});
await events.start();
process.stdout.write('ready\n');
