import { escapeHtml } from '../../render/html.js';

export interface ResetFormContext {
  /** 200 for the link's page, 400 when the POSTed password was refused. */
  readonly status: 200 | 400;
  readonly token: string;
  /** The CSRF token for the form, when the CSRF plugin is registered. */
  readonly csrfToken: string | undefined;
  /** Why the last attempt was refused (a weak password), to show above the form. */
  readonly problem?: string;
}

/**
 * The built-in "choose a new password" page: a plain form that works without JavaScript and
 * needs no inline script or style, so the default CSP applies unchanged. Apps show their own page
 * with `showResetForm`.
 */
export function defaultResetFormPage({ token, csrfToken, problem }: ResetFormContext): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Choose a new password</title></head>
<body><main>
<h1>Choose a new password</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/password/reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${csrfToken ? `<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">` : ''}
<label>New password <input type="password" name="password" autocomplete="new-password" minlength="8" maxlength="128" required></label>
<button type="submit">Set password</button>
</form>
<p>Setting a new password signs you out on every device.</p>
</main></body></html>`;
}
