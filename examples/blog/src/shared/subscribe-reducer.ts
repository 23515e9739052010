import { Effect, type Reducer } from '@composable-svelte/core';
import { ApiError, type BlogDependencies } from './api.js';
import type { BlogAction } from './state.js';
import { emptySubscribeForm, validateSubscription, type FieldErrors, type SubscribeForm } from './subscribe.js';

export type SubscribeAction = Extract<
  BlogAction,
  {
    type: 'csrfTokenLoaded' | 'subscribeFieldChanged' | 'subscribeSubmitted' | 'subscribeSucceeded' | 'subscribeFailed';
  }
>;

const SUBSCRIBE_TYPES = new Set<string>([
  'csrfTokenLoaded',
  'subscribeFieldChanged',
  'subscribeSubmitted',
  'subscribeSucceeded',
  'subscribeFailed',
]);

export function isSubscribeAction(action: BlogAction): action is SubscribeAction {
  return SUBSCRIBE_TYPES.has(action.type);
}

function without(errors: FieldErrors, field: keyof FieldErrors): FieldErrors {
  const { [field]: _removed, ...rest } = errors;
  return rest;
}

/** The newsletter form as its own feature; the blog embeds it with scope(). */
export const subscribeReducer: Reducer<SubscribeForm, SubscribeAction, BlogDependencies> = (form, action, { api }) => {
  switch (action.type) {
    case 'csrfTokenLoaded':
      return [{ ...form, csrfToken: action.token }, Effect.none()];
    case 'subscribeFieldChanged':
      return [
        {
          ...form,
          [action.field]: action.value,
          errors: without(form.errors, action.field),
          status: form.status === 'subscribed' ? 'editing' : form.status,
        },
        Effect.none(),
      ];
    case 'subscribeSubmitted': {
      if (form.status === 'submitting') return [form, Effect.none()];
      const errors = validateSubscription(form);
      if (Object.keys(errors).length > 0) return [{ ...form, status: 'failed', errors, message: null }, Effect.none()];
      const token = form.csrfToken;
      if (!token) {
        return [
          { ...form, status: 'failed', message: 'The form is not ready yet. Reload the page and try again.' },
          Effect.none(),
        ];
      }
      const input = { name: form.name.trim(), email: form.email.trim(), csrfToken: token };
      return [
        { ...form, status: 'submitting', errors: {}, message: null },
        Effect.cancellable(
          'subscribe',
          Effect.run<SubscribeAction>(async (dispatch, { signal }) => {
            try {
              const { name } = await api.subscribe(input, signal);
              dispatch({ type: 'subscribeSucceeded', name });
            } catch (error) {
              dispatch(
                error instanceof ApiError
                  ? {
                      type: 'subscribeFailed',
                      message: Object.keys(error.fieldErrors).length > 0 ? null : error.message,
                      errors: error.fieldErrors,
                    }
                  : { type: 'subscribeFailed', message: 'Something went wrong. Please try again.', errors: {} },
              );
            }
          }),
        ),
      ];
    }
    case 'subscribeSucceeded':
      return [
        { ...emptySubscribeForm, csrfToken: form.csrfToken, status: 'subscribed', subscribedAs: action.name },
        Effect.none(),
      ];
    case 'subscribeFailed':
      return [{ ...form, status: 'failed', message: action.message, errors: action.errors }, Effect.none()];
  }
};
