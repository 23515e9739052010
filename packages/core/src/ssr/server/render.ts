import type { Component } from 'svelte';
import { render } from 'svelte/server';

export interface RenderedComponent {
  /** Markup for `<head>`, from `<svelte:head>` blocks. */
  readonly head: string;
  /** Markup to place inside the hydration target. */
  readonly body: string;
}

/**
 * Renders a root component on the server. Awaits the result so components that use Svelte's
 * async SSR finish rendering before the document is sent.
 */
export async function renderComponent<Props extends Record<string, unknown>>(
  component: Component<Props>,
  props: Props,
  options: { readonly context?: Map<unknown, unknown>; readonly idPrefix?: string } = {},
): Promise<RenderedComponent> {
  const output = await render(component as Component<Record<string, unknown>>, {
    props,
    ...(options.context ? { context: options.context } : {}),
    ...(options.idPrefix ? { idPrefix: options.idPrefix } : {}),
  });
  return { head: output.head, body: output.body };
}
