import { Effect, scope, type Dependencies, type Reducer } from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import {
  emptyCommentForm,
  normalizeComment,
  validateComment,
  type CommentFieldErrors,
  type CommentForm,
} from './comment.js';
import { formFailure } from './form-failure.js';
import { guarded } from './guarded.js';
import { commentsKey, postKey, postsKey } from './queries.js';
import type { BlogAction, BlogState } from './state.js';

export type CommentAction = Extract<
  BlogAction,
  {
    type: 'csrfTokenLoaded' | 'commentFieldChanged' | 'commentSubmitted' | 'commentPosted' | 'commentFailed';
  }
>;

const COMMENT_TYPES = new Set<string>([
  'csrfTokenLoaded',
  'commentFieldChanged',
  'commentSubmitted',
  'commentPosted',
  'commentFailed',
]);

export function isCommentAction(action: BlogAction): action is CommentAction {
  return COMMENT_TYPES.has(action.type);
}

function without(errors: CommentFieldErrors, field: keyof CommentFieldErrors): CommentFieldErrors {
  const { [field]: _removed, ...rest } = errors;
  return rest;
}

/**
 * The comment form as its own feature; the blog embeds it with scope(). A comment is a mutation: on
 * success the post's comments, the post (its count) and the list (its counts) are stale in the
 * query cache, and the page reducer asks for them again (see commentPosted in reducer.ts).
 */
export const commentReducer: Reducer<CommentForm, CommentAction, BlogDependencies & Dependencies> = (
  form,
  action,
  { api, queries },
) => {
  switch (action.type) {
    case 'csrfTokenLoaded':
      return [{ ...form, csrfToken: action.token }, Effect.none()];
    case 'commentFieldChanged':
      return [
        {
          ...form,
          [action.field]: action.value,
          errors: without(form.errors, action.field),
          status: form.status === 'posted' ? 'editing' : form.status,
        },
        Effect.none(),
      ];
    case 'commentSubmitted': {
      if (form.status === 'submitting') return [form, Effect.none()];
      const errors = validateComment(form);
      if (Object.keys(errors).length > 0) return [{ ...form, status: 'failed', errors, message: null }, Effect.none()];
      const token = form.csrfToken;
      if (!token) {
        return [
          { ...form, status: 'failed', message: 'The form is not ready yet. Reload the page and try again.' },
          Effect.none(),
        ];
      }
      const id = action.postId;
      const input = { ...normalizeComment(form), csrfToken: token };
      return [
        { ...form, status: 'submitting', errors: {}, message: null },
        Effect.cancellable(
          'comment',
          Effect.mutate(
            guarded((signal) => api.addComment(id, input, signal)),
            {
              cache: queries,
              invalidates: [commentsKey(id), postKey(id), postsKey()],
              toAction: (result): CommentAction =>
                result.status === 'success'
                  ? { type: 'commentPosted', comment: result.data }
                  : { type: 'commentFailed', ...formFailure(result.error) },
            },
          ),
        ),
      ];
    }
    case 'commentPosted':
      // The name stays for the reader's next comment; the text is sent.
      return [{ ...emptyCommentForm, author: form.author, csrfToken: form.csrfToken, status: 'posted' }, Effect.none()];
    case 'commentFailed':
      return [{ ...form, status: 'failed', message: action.message, errors: action.errors }, Effect.none()];
  }
};

/** The form as the blog composes it, under `commentForm`: what its chunk gives features.ts. */
export default scope<BlogState, BlogAction, CommentForm, CommentAction, BlogDependencies>({
  state: 'commentForm',
  action: { embed: (action) => action, extract: (action) => (isCommentAction(action) ? action : undefined) },
  reducer: commentReducer as Reducer<CommentForm, CommentAction, BlogDependencies>,
});
