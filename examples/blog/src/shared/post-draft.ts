/** The post editor's rules, shared by the form (its maxlength attributes) and the server (the authority). */
export const TITLE_MAX = 200;
export const SUMMARY_MAX = 300;
export const MARKDOWN_MAX = 100_000;
// Line breaks and tabs belong in a post; no other control character does, and PostgreSQL text cannot hold NUL.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n]/;

export type PostDraftField = 'title' | 'summary' | 'body';
export type PostDraftErrors = Partial<Record<PostDraftField, string>>;

/** What a writer sends: the title, an optional summary (the list's excerpt) and the body in Markdown. */
export interface PostDraft {
  readonly title: string;
  readonly summary: string;
  readonly body: string;
}

/** Lengths count UTF-16 code units after trimming, as the browser's maxlength does. */
export function validatePostDraft(draft: PostDraft): PostDraftErrors {
  const errors: PostDraftErrors = {};
  const title = draft.title.trim();
  if (title.length === 0) errors.title = 'Please give the post a title.';
  else if (title.length > TITLE_MAX) errors.title = `Please keep the title to ${TITLE_MAX} characters or fewer.`;
  else if (CONTROL.test(title) || LINE_BREAK.test(title))
    errors.title = 'Please keep the title to one line, without control characters.';
  const summary = draft.summary.trim();
  if (summary.length > SUMMARY_MAX) errors.summary = `Please keep the summary to ${SUMMARY_MAX} characters or fewer.`;
  else if (CONTROL.test(summary)) errors.summary = 'Please remove control characters (such as NUL) from the summary.';
  const body = draft.body.trim();
  if (body.length === 0) errors.body = 'Please write the post.';
  else if (body.length > MARKDOWN_MAX) errors.body = `Please keep the post to ${MARKDOWN_MAX} characters or fewer.`;
  else if (CONTROL.test(body))
    errors.body = 'Please remove control characters (such as NUL) from the post; line breaks and tabs are fine.';
  return errors;
}

/** The draft as stored: what validatePostDraft accepted, trimmed, with the summary on one line. */
export function normalizePostDraft(draft: PostDraft): PostDraft {
  return { title: draft.title.trim(), summary: draft.summary.replace(/\s+/g, ' ').trim(), body: draft.body.trim() };
}

/** The editor page's form, as the server rendered it: the post being edited (null: a new post) and its fields. */
export interface PostEditor {
  readonly postId: number | null;
  readonly title: string;
  readonly summary: string;
  readonly body: string;
  readonly coverUrl: string | null;
}

export const emptyPostEditor: PostEditor = { postId: null, title: '', summary: '', body: '', coverUrl: null };

/** Who may edit a post: its writer, and admins. */
export function mayEditPost(
  viewer: { readonly id: number; readonly roles: readonly string[] } | null,
  post: { readonly authorId: number | null },
): boolean {
  if (!viewer) return false;
  return viewer.roles.includes('admin') || (post.authorId !== null && post.authorId === viewer.id);
}
