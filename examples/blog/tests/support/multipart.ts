import { deflateSync } from 'node:zlib';

/** A real PNG (an 8×8 grey square), padded with a text chunk to `size` bytes when asked. */
export function png(size = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    // Recognition reads the signature and IHDR; a zero CRC does not matter to it.
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(8 * 9, 0x80))),
  ];
  const base = Buffer.concat([...parts, chunk('IEND', Buffer.alloc(0))]);
  if (size <= base.length) return base;
  return Buffer.concat([
    ...parts,
    chunk('tEXt', Buffer.alloc(size - base.length - 12, 0x61)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface FilePart {
  readonly filename: string;
  readonly type: string;
  readonly body: Buffer | string;
}

const BOUNDARY = '----field-notes-test-boundary';
export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart/form-data body with its parts in the order given, as a browser sends a form's fields. */
export function multipartBody(parts: readonly [string, string | FilePart][]): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    const file = typeof value === 'string' ? undefined : value;
    const head =
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"` +
      (file ? `; filename="${file.filename}"\r\ncontent-type: ${file.type}` : '') +
      '\r\n\r\n';
    chunks.push(Buffer.from(head), Buffer.from(file ? file.body : (value as string)), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}
