import { Effect, scope, type Dependencies, type Reducer } from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import { formFailure } from './form-failure.js';
import { guarded } from './guarded.js';
import type { BlogAction, BlogState } from './state.js';
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

/**
 * The newsletter form as its own feature; the blog embeds it with scope(). Subscribing is a mutation
 * that no cached query depends on, so it invalidates nothing.
 */
export const subscribeReducer: Reducer<SubscribeForm, SubscribeAction, BlogDependencies & Dependencies> = (
  form,
  action,
  { api, queries },
) => {
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
          Effect.mutate(
            guarded((signal) => api.subscribe(input, signal)),
            {
              cache: queries,
              toAction: (result): SubscribeAction =>
                result.status === 'success'
                  ? { type: 'subscribeSucceeded', name: result.data.name }
                  : { type: 'subscribeFailed', ...formFailure(result.error) },
            },
          ),
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

/** The form as the blog composes it, under `subscribe`: what its chunk gives features.ts. */
export default scope<BlogState, BlogAction, SubscribeForm, SubscribeAction, BlogDependencies>({
  state: 'subscribe',
  action: { embed: (action) => action, extract: (action) => (isSubscribeAction(action) ? action : undefined) },
  reducer: subscribeReducer as Reducer<SubscribeForm, SubscribeAction, BlogDependencies>,
});
