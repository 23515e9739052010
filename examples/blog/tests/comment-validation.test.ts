/**
 * The comment rules the browser and the server share: an author of 1–80 characters and a body of
 * 1–5000 after trimming, no control character except line breaks and tabs (NUL included, which
 * PostgreSQL text cannot hold), and whatever is accepted is stored exactly as trimmed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTHOR_MAX, BODY_MAX, normalizeComment, validateComment } from '../src/shared/comment.js';

const ok = { author: 'Ada', body: 'Hello' };
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

describe('validateComment', () => {
  it('accepts a name and a comment', () => {
    expect(validateComment(ok)).toEqual({});
  });

  it('counts lengths after trimming, at the exact limits', () => {
    expect(validateComment({ author: ` ${'a'.repeat(AUTHOR_MAX)} `, body: 'x' })).toEqual({});
    expect(validateComment({ author: 'a'.repeat(AUTHOR_MAX + 1), body: 'x' })).toEqual({
      author: 'Please keep your name to 80 characters or fewer.',
    });
    expect(validateComment({ author: 'Ada', body: `\n${'b'.repeat(BODY_MAX)}\n` })).toEqual({});
    expect(validateComment({ author: 'Ada', body: 'b'.repeat(BODY_MAX + 1) })).toEqual({
      body: 'Please keep your comment to 5000 characters or fewer.',
    });
  });

  it('refuses empty and blank fields, each with its own message', () => {
    expect(validateComment({ author: '', body: '' })).toEqual({
      author: 'Please enter your name.',
      body: 'Please write a comment.',
    });
    expect(validateComment({ author: ' \t ', body: '\r\n\n' })).toEqual({
      author: 'Please enter your name.',
      body: 'Please write a comment.',
    });
  });

  it('keeps line breaks and tabs in a comment', () => {
    expect(validateComment({ author: 'Ada', body: 'one\ntwo\r\nthree\tfour' })).toEqual({});
  });

  it.each(['\u0000', '\u0007', '\u000b', '\u001b', '\u007f'])('refuses the control character %j', (char) => {
    const errors = validateComment({ author: `A${char}da`, body: `He${char}llo` });
    expect(errors.author).toBe('Please remove control characters (such as NUL) from your name.');
    expect(errors.body).toBe(
      'Please remove control characters (such as NUL) from your comment; line breaks and tabs are fine.',
    );
  });

  it('holds for any strings: accepted exactly when the trimmed lengths fit and no control character is in', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ maxLength: 6000 }),
    );
    fc.assert(
      fc.property(text, text, (author, body) => {
        const errors = validateComment({ author, body });
        const trimmed = normalizeComment({ author, body });
        const authorOk = trimmed.author.length >= 1 && trimmed.author.length <= AUTHOR_MAX;
        const bodyOk = trimmed.body.length >= 1 && trimmed.body.length <= BODY_MAX;
        expect(errors.author === undefined).toBe(authorOk && !CONTROL.test(trimmed.author));
        expect(errors.body === undefined).toBe(bodyOk && !CONTROL.test(trimmed.body));
      }),
      { numRuns: 500 },
    );
  });
});
