import { desc, eq } from 'drizzle-orm';
import type { Db } from '@composable-svelte/server/db';
import type { Note } from '../shared/state.js';
import { notes, type AppSchema } from './db/schema.js';

/** What runs inside `add`'s transaction may use: SQL on the same connection. */
export type Transaction = Pick<Db<AppSchema>, 'execute'>;

export interface NotesRepository {
  list(userId: number): Promise<Note[]>;
  /** Saves a note; `andThen` runs in the same transaction (enqueueing its job: both or neither). */
  add(userId: number, body: string, andThen: (tx: Transaction, note: Note) => Promise<unknown>): Promise<Note>;
  setWords(id: number, words: number): Promise<{ userId: number } | undefined>;
  body(id: number): Promise<string | undefined>;
}

const columns = { id: notes.id, body: notes.body, words: notes.words, createdAt: notes.createdAt };
const toNote = (row: { id: number; body: string; words: number | null; createdAt: Date }): Note => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

export function createNotesRepository(db: Db<AppSchema>): NotesRepository {
  return {
    async list(userId) {
      const rows = await db
        .select(columns)
        .from(notes)
        .where(eq(notes.userId, userId))
        .orderBy(desc(notes.createdAt), desc(notes.id))
        .limit(100);
      return rows.map(toNote);
    },
    add(userId, body, andThen) {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(notes).values({ userId, body }).returning(columns);
        const note = toNote(row!);
        await andThen(tx, note);
        return note;
      });
    },
    async setWords(id, words) {
      const [row] = await db.update(notes).set({ words }).where(eq(notes.id, id)).returning({ userId: notes.userId });
      return row;
    },
    async body(id) {
      const [row] = await db.select({ body: notes.body }).from(notes).where(eq(notes.id, id));
      return row?.body;
    },
  };
}
