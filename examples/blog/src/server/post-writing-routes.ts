import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allOf, hasRole, hasScopes, type Viewer } from '@composable-svelte/server/auth';
import { badRequest, forbidden, notFound } from '@composable-svelte/server/errors';
import { uploads, type ReceivedFile, type UploadStorage } from '@composable-svelte/server/uploads';
import type { Post, PostSource, PostsRepository } from '../shared/model.js';
import {
  MARKDOWN_MAX,
  mayEditPost,
  normalizePostDraft,
  validatePostDraft,
  type PostDraft,
  type PostEditor,
} from '../shared/post-draft.js';
import { postId } from './api-routes.js';
import { PostIdParams, PostResponse } from './api-schemas.js';
import { derivedExcerpt, markdownOfHtml } from './post-content.js';
import { writtenPostContent } from './written-post-content.js';
import { postEditors } from './post-editor-outcome.js';

const field = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
/**
 * A post as JSON, a form, or the text fields of a multipart form (those ahead of the cover). Only
 * the shape is checked here, with room to spare: the limits are validatePostDraft's, whose
 * messages say what to fix.
 */
const DraftBody = Type.Object({
  title: field(2_000),
  summary: field(3_000),
  body: field(MARKDOWN_MAX * 2),
  /** "1" (a checkbox): the edit drops the post's cover. */
  removeCover: field(8),
  _csrf: field(200),
});
type DraftFields = Static<typeof DraftBody>;

/** The cover field of the forms and of multipart API requests. */
const COVER_FIELD = 'cover';
const UPLOADS_PREFIX = '/uploads';
const MULTIPART = /^multipart\/form-data\b/i;

/** The roles that write, and those that edit (any post for admins, their own for authors). */
const WRITERS = ['author'];
const EDITORS = ['author', 'admin'];

export interface PostWritingOptions {
  /** Where covers are stored; the same storage serves them under /uploads. */
  readonly storage: UploadStorage;
  /** The largest cover accepted; bigger is a 413. */
  readonly coverMaxBytes: number;
}

/** The summary field as its writer left it: empty when the excerpt is the one derived from the body. */
function summaryOf(source: PostSource): string {
  return source.post.excerpt === derivedExcerpt(source.post.bodyHtml) ? '' : source.post.excerpt;
}

function editorOf(source: PostSource): PostEditor {
  return {
    postId: source.post.id,
    title: source.post.title,
    summary: summaryOf(source),
    body: source.bodyMarkdown ?? markdownOfHtml(source.post.bodyHtml),
    coverUrl: source.post.coverUrl,
  };
}

/** The draft, validated and normalized; a 400 naming each field to fix otherwise. */
function checkedDraft(draft: PostDraft): PostDraft {
  const errors = validatePostDraft(draft);
  const details = Object.entries(errors).map(([name, message]) => ({ path: `body.${name}`, message }));
  if (details.length > 0) throw badRequest(details.map((d) => d.message).join(' '), { details });
  return normalizePostDraft(draft);
}

function decodeId(raw: string): number {
  const id = postId.decode(raw);
  if (!id.ok)
    throw badRequest(`Invalid params.id: ${id.message}`, { details: [{ path: 'params.id', message: id.message }] });
  return id.value;
}

/**
 * Authors write and edit posts: the editor pages (`GET /write`, an app page, and `GET
 * /posts/:id/edit`), their forms (`POST /posts`, `POST /posts/:id`: multipart, working without
 * JavaScript, 303 to the post) and the JSON API (`POST /api/posts`, `PATCH /api/posts/:id`, with
 * a bearer credential granted the `write` scope, or a session). The Markdown is rendered and
 * sanitized once, when written; the cached pages the write changes leave the page cache after it
 * commits and before the answer is sent. CSRF is checked by the framework before any handler runs
 * (for a multipart form, on its `_csrf` field, which comes before the cover).
 */
export function postWritingRoutes(posts: PostsRepository, { storage, coverMaxBytes }: PostWritingOptions) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    await fastify.register(uploads, {
      storage,
      prefix: UPLOADS_PREFIX,
      maxFileBytes: coverMaxBytes,
      maxFiles: 1,
      maxFields: 10,
      // A post's Markdown may be up to MARKDOWN_MAX characters of up to 4 bytes each.
      maxFieldBytes: MARKDOWN_MAX * 4,
    });
    const rateLimit = { max: fastify.config.rateLimit.formMax, timeWindow: fastify.config.rateLimit.windowMs };

    const invalidate = async (tags: readonly string[]) => {
      const cache = fastify.pageCache;
      if (cache) await Promise.all(tags.map((tag) => cache.invalidate({ tag })));
    };
    const forget = (cover: ReceivedFile | undefined) => (cover ? storage.delete(cover.key) : Promise.resolve());

    /** The fields and the cover, from JSON, a form or a multipart body. */
    const received = async (request: FastifyRequest): Promise<{ fields: DraftFields; cover?: ReceivedFile }> => {
      if (!MULTIPART.test(request.headers['content-type'] ?? ''))
        return { fields: (request.body ?? {}) as DraftFields };
      const { files, fields } = await request.receiveUploads();
      const stray = files.filter((file) => file.field !== COVER_FIELD);
      if (stray.length > 0) {
        await Promise.all(files.map((file) => storage.delete(file.key)));
        throw badRequest(`Only one file is accepted, in the "${COVER_FIELD}" field.`, {
          details: stray.map((file) => ({ path: `body.${file.field}`, message: 'not an accepted file field' })),
        });
      }
      return { fields, cover: files[0] };
    };

    const create = async (request: FastifyRequest, viewer: Viewer): Promise<Post> => {
      const { fields, cover } = await received(request);
      try {
        const draft = checkedDraft({
          title: fields.title ?? '',
          summary: fields.summary ?? '',
          body: fields.body ?? '',
        });
        const post = await posts.createPost({
          ...writtenPostContent(draft),
          title: draft.title,
          author: viewer.name,
          authorId: viewer.id,
          coverUrl: cover?.url ?? null,
        });
        await invalidate(['posts']);
        return post;
      } catch (error) {
        await forget(cover);
        throw error;
      }
    };

    /** `partial`: fields left out keep their value (PATCH); otherwise the form replaces them all. */
    const edit = async (request: FastifyRequest, viewer: Viewer, id: number, partial: boolean): Promise<Post> => {
      const source = await posts.getPostSource(id);
      if (!source) throw notFound(`Post ${id} does not exist`);
      if (!mayEditPost(viewer, source.post)) throw forbidden('Only the post’s author or an admin may edit it.');
      const { fields, cover } = await received(request);
      const before = editorOf(source);
      const value = (name: 'title' | 'summary' | 'body') => fields[name] ?? (partial ? before[name] : '');
      let post: Post | undefined;
      try {
        const draft = checkedDraft({ title: value('title'), summary: value('summary'), body: value('body') });
        const coverUrl = cover ? cover.url : fields.removeCover === '1' ? null : before.coverUrl;
        post = await posts.updatePost(id, { ...writtenPostContent(draft), title: draft.title, coverUrl });
        if (!post) throw notFound(`Post ${id} does not exist`);
      } catch (error) {
        await forget(cover);
        throw error;
      }
      await invalidate([`post:${id}`, 'posts']);
      // The replaced cover is no page's any more: its cached pages were just invalidated.
      if (before.coverUrl && before.coverUrl !== post.coverUrl)
        await storage.delete(before.coverUrl.slice(UPLOADS_PREFIX.length + 1));
      return post;
    };

    const viewerOf = (request: FastifyRequest): Viewer => {
      // The route's auth requirement ran first: a principal is there.
      if (!request.principal) throw new Error('post writing route without an auth requirement');
      return request.principal.viewer;
    };

    fastify.get<{ Params: Static<typeof PostIdParams> }>(
      '/posts/:id/edit',
      { schema: { params: PostIdParams }, config: { auth: { roles: EDITORS } } },
      async (request, reply) => {
        const id = decodeId(request.params.id);
        const source = await posts.getPostSource(id);
        if (!source) throw notFound(`Post ${id} does not exist`);
        if (!mayEditPost(viewerOf(request), source.post))
          throw forbidden('Only the post’s author or an admin may edit it.');
        postEditors.set(request, editorOf(source));
        return fastify.renderPage(request, reply);
      },
    );

    fastify.post<{ Body: DraftFields }>(
      '/posts',
      { schema: { body: DraftBody }, config: { rateLimit, auth: { roles: WRITERS } } },
      async (request, reply: FastifyReply) => {
        const post = await create(request, viewerOf(request));
        return reply.redirect(`/posts/${post.id}`, 303);
      },
    );

    fastify.post<{ Params: Static<typeof PostIdParams>; Body: DraftFields }>(
      '/posts/:id',
      { schema: { params: PostIdParams, body: DraftBody }, config: { rateLimit, auth: { roles: EDITORS } } },
      async (request, reply) => {
        const post = await edit(request, viewerOf(request), decodeId(request.params.id), false);
        return reply.redirect(`/posts/${post.id}`, 303);
      },
    );

    fastify.post<{ Body: DraftFields }>(
      '/api/posts',
      {
        schema: { body: DraftBody, response: { 201: PostResponse } },
        config: { rateLimit, auth: allOf(hasRole(...WRITERS), hasScopes('write')) },
      },
      async (request, reply) => reply.code(201).send({ post: await create(request, viewerOf(request)) }),
    );

    fastify.patch<{ Params: Static<typeof PostIdParams>; Body: DraftFields }>(
      '/api/posts/:id',
      {
        schema: { params: PostIdParams, body: DraftBody, response: { 200: PostResponse } },
        config: { rateLimit, auth: allOf(hasRole(...EDITORS), hasScopes('write')) },
      },
      async (request) => ({
        post: await edit(request, viewerOf(request), decodeId(request.params.id), true),
      }),
    );
  };
}
