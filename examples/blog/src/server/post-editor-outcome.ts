import type { FastifyRequest } from 'fastify';
import type { PostEditor } from '../shared/post-draft.js';

const editors = new WeakMap<FastifyRequest, PostEditor>();

/** The post an editor page opens: set by its route once the post is found and the viewer may edit it; read by the app's `load`. */
export const postEditors = {
  set: (request: FastifyRequest, editor: PostEditor) => editors.set(request, editor),
  get: (request: FastifyRequest) => editors.get(request),
};
