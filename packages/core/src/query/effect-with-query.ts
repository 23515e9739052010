import { Effect as CoreEffect } from '../effect/effect.js';
import { mutate, query } from './query-effects.js';

/** The effect constructors with `query` and `mutate`, which the core effect module knows nothing about. */
export const Effect = { ...CoreEffect, query, mutate } as const;
export type Effect<A> = CoreEffect<A>;
