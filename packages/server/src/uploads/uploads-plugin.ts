import { randomBytes } from 'node:crypto';
import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors/http-error.js';
import { sniffType } from './sniff.js';
import { localUploadStorage, type UploadStorage } from './upload-storage.js';

/** Formats a browser can display safely; SVG is left out on purpose (it can carry script). */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};

export interface UploadsOptions {
  /** Where files go; a local directory by default. */
  readonly storage?: UploadStorage;
  /** The local directory when no storage is given. */
  readonly directory?: string;
  /** Accepted formats, recognised from the bytes: MIME type → file extension. */
  readonly types?: Readonly<Record<string, string>>;
  readonly maxFileBytes?: number;
  readonly maxFiles?: number;
  readonly maxFields?: number;
  readonly maxFieldBytes?: number;
  /** URL prefix the files are served under. */
  readonly prefix?: string;
}

export interface ReceivedFile {
  readonly field: string;
  /** The stored name: random, so it reveals nothing and cannot collide or traverse. */
  readonly key: string;
  readonly url: string;
  readonly type: string;
  readonly bytes: number;
  /** The client's own name for the file, for display only. */
  readonly filename: string;
}

export interface ReceivedUploads {
  readonly files: readonly ReceivedFile[];
  readonly fields: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Reads a multipart body (the fields ahead of the first file are already in `request.body`): every file is checked by its bytes and stored under a random name.
     * All or nothing: on any error (413, 415, 400) the files already stored for it are deleted.
     */
    receiveUploads(): Promise<ReceivedUploads>;
  }
}

const KEY = /^[A-Za-z0-9_-]{22}\.[a-z0-9]{2,5}$/;

/** A multipart body read up to its first file: the fields so far, and where reading stopped. */
interface LeadingFields {
  readonly fields: Record<string, string>;
  readonly parts: AsyncIterator<Multipart>;
  readonly firstFile: MultipartFile | undefined;
}

/** @fastify/multipart's errors, in our words and codes. */
function uploadError(error: unknown, limits: { maxFileBytes: number; maxFiles: number; maxFields: number }): unknown {
  if (error instanceof HttpError) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new HttpError(413, 'UPLOAD_TOO_LARGE', `A file is larger than ${limits.maxFileBytes} bytes`);
    case 'FST_FILES_LIMIT':
      return new HttpError(413, 'UPLOAD_TOO_MANY_FILES', `At most ${limits.maxFiles} files per request`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new HttpError(413, 'UPLOAD_TOO_MANY_FIELDS', `At most ${limits.maxFields} form fields per request`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new HttpError(415, 'UPLOAD_NOT_MULTIPART', 'Expected a multipart/form-data body');
    default:
      return new HttpError(400, 'UPLOAD_MALFORMED', 'The upload was cut short or is not valid multipart data', {
        cause: error,
      });
  }
}

/**
 * Uploads on @fastify/multipart: limits on size, count and fields; each file streamed to storage
 * (never buffered whole) after its format is recognised from its first bytes; served back with
 * `nosniff` and a Content-Disposition that keeps a browser from treating it as a page.
 */
export const uploads = fp<UploadsOptions>(
  async (fastify, options) => {
    const storage = options.storage ?? localUploadStorage(options.directory ?? '.data/uploads');
    const types = options.types ?? IMAGE_TYPES;
    const extensions = new Map(Object.entries(types).map(([mime, ext]) => [ext, mime]));
    const limits = {
      maxFileBytes: options.maxFileBytes ?? 5 * 1024 * 1024,
      maxFiles: options.maxFiles ?? 4,
      maxFields: options.maxFields ?? 20,
    };
    const prefix = (options.prefix ?? '/uploads').replace(/\/$/, '');

    await fastify.register(multipart, {
      throwFileSizeLimit: true,
      limits: {
        fileSize: limits.maxFileBytes,
        files: limits.maxFiles,
        fields: limits.maxFields,
        fieldSize: options.maxFieldBytes ?? 64 * 1024,
        parts: limits.maxFiles + limits.maxFields,
      },
    });

    const leading = new WeakMap<FastifyRequest, LeadingFields>();

    // The fields ahead of the first file become the request's body before the route's hooks run:
    // the CSRF check reads `_csrf` there (a form without JavaScript cannot send the header) and the
    // route's body schema validates them, all before a single byte of a file is stored.
    fastify.addHook('preValidation', async (request) => {
      if (!request.isMultipart()) return;
      const fields: Record<string, string> = {};
      const parts = request.parts()[Symbol.asyncIterator]();
      let firstFile: MultipartFile | undefined;
      try {
        for (let next = await parts.next(); !next.done; next = await parts.next()) {
          const part = next.value;
          if (part.type === 'file') {
            firstFile = part;
            break;
          }
          if (part.valueTruncated) throw uploadError({ code: 'FST_FIELDS_LIMIT' }, limits);
          fields[part.fieldname] = String(part.value);
        }
      } catch (error) {
        throw uploadError(error, limits);
      }
      leading.set(request, { fields, parts, firstFile });
      request.body = { ...fields };
    });

    async function* remainingParts(request: FastifyRequest, read: LeadingFields | undefined) {
      if (!read) {
        yield* request.parts();
        return;
      }
      if (read.firstFile) yield read.firstFile;
      for (let next = await read.parts.next(); !next.done; next = await read.parts.next()) yield next.value;
    }

    async function receiveUploads(this: FastifyRequest): Promise<ReceivedUploads> {
      const files: ReceivedFile[] = [];
      const read = leading.get(this);
      leading.delete(this);
      const fields: Record<string, string> = { ...read?.fields };
      try {
        for await (const part of remainingParts(this, read)) {
          if (part.type === 'field') {
            if (part.valueTruncated) throw uploadError({ code: 'FST_FIELDS_LIMIT' }, limits);
            fields[part.fieldname] = String(part.value);
            continue;
          }
          // A file input left empty: browsers still send the part, with no file name and no bytes.
          if (part.filename === '') {
            part.file.resume();
            continue;
          }
          const { mime, stream } = await sniffType(part.file);
          const extension = mime === undefined ? undefined : types[mime];
          if (extension === undefined) {
            part.file.resume();
            throw new HttpError(
              415,
              'UPLOAD_TYPE',
              `${part.filename || part.fieldname}: not an accepted format (${Object.keys(types).join(', ')})`,
            );
          }
          const key = `${randomBytes(16).toString('base64url')}.${extension}`;
          const { bytes } = await storage.put(key, stream);
          files.push({
            field: part.fieldname,
            key,
            url: `${prefix}/${key}`,
            type: mime!,
            bytes,
            filename: part.filename,
          });
          if (part.file.truncated) throw uploadError({ code: 'FST_REQ_FILE_TOO_LARGE' }, limits);
        }
      } catch (error) {
        await Promise.all(files.map((file) => storage.delete(file.key)));
        throw uploadError(error, limits);
      }
      return { files, fields };
    }
    fastify.decorateRequest('receiveUploads', receiveUploads);

    fastify.get<{ Params: { key: string } }>(`${prefix}/:key`, async (request, reply) => {
      const { key } = request.params;
      const mime = KEY.test(key) ? extensions.get(key.slice(key.lastIndexOf('.') + 1)) : undefined;
      const found = mime === undefined ? undefined : await storage.get(key);
      if (!found) throw new HttpError(404, 'NOT_FOUND', 'No such upload');
      return reply
        .header('content-type', mime!)
        .header('content-length', found.bytes)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `${mime!.startsWith('image/') ? 'inline' : 'attachment'}; filename="${key}"`)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(found.stream);
    });
  },
  { name: 'composable-svelte-uploads', fastify: '5.x' },
);
