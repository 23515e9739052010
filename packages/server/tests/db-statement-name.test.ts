import { describe, expect, it } from 'vitest';
import { statementName } from '../src/db/query-observer.js';

describe('statement names for database metrics', () => {
  it.each([
    ['select "id", "body" from "notes" where "notes"."id" = $1', 'select notes'],
    ['insert into "comments" ("post_id", "body") values ($1, $2) returning "id"', 'insert comments'],
    ['update "counters" set "value" = $1 where "counters"."name" = $2', 'update counters'],
    ['delete from "sessions" where "expires_at" < now()', 'delete sessions'],
    ['select count(*) from public."posts" left join "comments" on true', 'select posts'],
    ['  BEGIN isolation level serializable', 'begin'],
    ['select pg_sleep(0.05)', 'select'],
    ['vacuum analyze', 'other'],
  ])('%s → %s', (sql, name) => {
    expect(statementName(sql)).toBe(name);
  });
});
