/**
 * Uploads: formats recognised from the bytes, limits answered with 413/415/400, nothing partial
 * left behind, and files served back so a browser never runs them as a page.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { uploads, type UploadsOptions } from '../src/uploads/uploads-plugin.js';

/** A real PNG (an 8×8 grey square), padded with a text chunk to `size` bytes when asked. */
function png(size = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    // Decoders tolerate a zero CRC for this test's purpose; recognition reads the signature and IHDR.
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const pixels = deflateSync(Buffer.alloc(8 * 9, 0x80));
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
  ];
  const base = Buffer.concat([...parts, chunk('IEND', Buffer.alloc(0))]);
  if (size <= base.length) return base;
  return Buffer.concat([
    ...parts,
    chunk('tEXt', Buffer.alloc(size - base.length - 12, 0x61)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BOUNDARY = '----composable-upload-test';
type Part = { name: string; filename?: string; type?: string; body: Buffer | string };

function multipartBody(parts: Part[], close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const head = `--${BOUNDARY}\r\ncontent-disposition: ${disposition}\r\n${part.type ? `content-type: ${part.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
let directory: string;
let app: FastifyInstance;

async function start(options: UploadsOptions = {}, routes: (app: FastifyInstance) => void = () => {}) {
  directory = mkdtempSync(join(tmpdir(), 'cs-uploads-'));
  app = Fastify();
  await app.register(uploads, { directory, ...options });
  app.post('/upload', async (request) => request.receiveUploads());
  routes(app);
  await app.ready();
  return app;
}

const stored = () => readdirSync(directory);

afterEach(async () => {
  await app?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('uploads', () => {
  it('recognises the format from the bytes, stores under a random name and serves it inertly', async () => {
    await start();
    const image = png();
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      // The client's name and type lie: neither is trusted.
      payload: multipartBody([
        { name: 'caption', body: 'a grey square' },
        { name: 'cover', filename: 'cover.html', type: 'text/html', body: image },
      ]),
    });
    expect(response.statusCode).toBe(200);
    const { files, fields } = response.json();
    expect(fields).toEqual({ caption: 'a grey square' });
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ field: 'cover', type: 'image/png', bytes: image.length, filename: 'cover.html' });
    expect(files[0].key).toMatch(/^[A-Za-z0-9_-]{22}\.png$/);
    expect(stored()).toEqual([files[0].key]);

    const served = await app.inject({ method: 'GET', url: files[0].url });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(image)).toBe(true);
    expect(served.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="${files[0].key}"`,
    });
  });

  it('puts the fields ahead of the first file in request.body before the route hooks run, with nothing stored yet', async () => {
    const seen: { body: unknown; stored: string[] }[] = [];
    await start({}, (app) =>
      app.post(
        '/checked',
        { preHandler: async (request) => void seen.push({ body: request.body, stored: stored() }) },
        (request) => request.receiveUploads(),
      ),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/checked',
      headers: { 'content-type': CONTENT_TYPE },
      payload: multipartBody([
        { name: '_csrf', body: 'token' },
        { name: 'title', body: 'A title' },
        { name: 'cover', filename: 'a.png', body: png() },
        { name: 'after', body: 'late field' },
      ]),
    });
    expect(response.statusCode).toBe(200);
    expect(seen).toEqual([{ body: { _csrf: 'token', title: 'A title' }, stored: [] }]);
    const { files, fields } = response.json();
    expect(fields).toEqual({ _csrf: 'token', title: 'A title', after: 'late field' });
    expect(files).toHaveLength(1);
    expect(stored()).toEqual([files[0].key]);
  });

  it('takes a file input left empty (no file name, no bytes) for no file', async () => {
    await start();
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      payload: multipartBody([
        { name: 'title', body: 'No cover' },
        { name: 'cover', filename: '', type: 'application/octet-stream', body: '' },
      ]),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ files: [], fields: { title: 'No cover' } });
    expect(stored()).toEqual([]);
  });

  it('refuses a file whose bytes are not an accepted format with 415, whatever its name says', async () => {
    await start();
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      payload: multipartBody([
        { name: 'cover', filename: 'photo.png', type: 'image/png', body: '<script>alert(1)</script>'.repeat(200) },
      ]),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TYPE', message: expect.stringContaining('photo.png') });
    expect(stored()).toEqual([]);
  });

  it('answers 413 for a file over the limit and leaves no partial file', async () => {
    await start({ maxFileBytes: 2000 });
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      payload: multipartBody([{ name: 'cover', filename: 'big.png', body: png(50_000) }]),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    expect(stored()).toEqual([]);
  });

  it('answers 413 past the file count and removes the files already stored for that request', async () => {
    await start({ maxFiles: 2 });
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      payload: multipartBody([1, 2, 3].map((n) => ({ name: `f${n}`, filename: `${n}.png`, body: png() }))),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES' });
    expect(stored()).toEqual([]);
  });

  it('answers 400 for a body cut short, and 415 for a body that is not multipart', async () => {
    await start();
    const truncated = multipartBody([{ name: 'cover', filename: 'a.png', body: png(10_000) }], false).subarray(0, 6000);
    const cut = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': CONTENT_TYPE },
      payload: truncated,
    });
    expect(cut.statusCode).toBe(400);
    expect(cut.json()).toMatchObject({ code: 'UPLOAD_MALFORMED' });
    expect(stored()).toEqual([]);

    const json = await app.inject({ method: 'POST', url: '/upload', payload: { cover: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'UPLOAD_NOT_MULTIPART' });
  });

  it('a client that disconnects mid-upload leaves nothing behind', async () => {
    await start();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const body = multipartBody([{ name: 'cover', filename: 'a.png', body: png(400_000) }]);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /upload HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: ${CONTENT_TYPE}\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, 200_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    const deadline = Date.now() + 5000;
    while (stored().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stored()).toEqual([]);
  });

  it('serves only well-formed stored names', async () => {
    await start();
    for (const url of ['/uploads/..%2F..%2Fetc%2Fpasswd', '/uploads/AAAAAAAAAAAAAAAAAAAAAA.png', '/uploads/x.svg']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
  });
});
