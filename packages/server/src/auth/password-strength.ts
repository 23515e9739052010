import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.js';

export interface PasswordStrength {
  readonly ok: boolean;
  /** zxcvbn's score, 0 (very guessable) to 4 (very unguessable); 0 for a password of the wrong length. */
  readonly score: number;
  /** What was wrong and how to do better, in words for the person choosing the password. */
  readonly problems: readonly string[];
}

let factory: ZxcvbnFactory | undefined;

/**
 * Builds the matchers over the dictionaries (megabytes; a second or more of synchronous work on a
 * busy machine). The auth plugin calls it just after the server starts listening: done during a
 * request it would stall the event loop for everyone (and trip load shedding), done before listening
 * it would delay start-up. Apps that never check a password never pay.
 */
export function preparePasswordStrength(): void {
  // The factory is lazy too: the first check is what builds the dictionaries.
  zxcvbn().check('warm-up-passphrase', ['warm-up']);
}

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return factory;
}

/**
 * NIST 800-63B rules: a length from 8 to 128 characters (counted as code points, so any script
 * and emoji count as one each), no composition rules, and refusal of guessable passwords — here
 * zxcvbn's estimate against common passwords, words, names, keyboard patterns and the user's own
 * details (`userInputs`: e-mail, name).
 */
export function checkPasswordStrength(
  password: string,
  options: { minScore?: number; userInputs?: readonly string[] } = {},
): PasswordStrength {
  const minScore = options.minScore ?? 3;
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return { ok: false, score: 0, problems: [`The password must have at least ${PASSWORD_MIN_LENGTH} characters.`] };
  if (length > PASSWORD_MAX_LENGTH)
    return { ok: false, score: 0, problems: [`The password must have at most ${PASSWORD_MAX_LENGTH} characters.`] };
  const inputs = (options.userInputs ?? []).flatMap((input) => [input, ...input.split(/[@.\s_-]+/)]).filter(Boolean);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= minScore) return { ok: true, score: result.score, problems: [] };
  const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter(
    (line): line is string => typeof line === 'string' && line !== '',
  );
  return {
    ok: false,
    score: result.score,
    problems: ['This password is too easy to guess.', ...feedback],
  };
}
