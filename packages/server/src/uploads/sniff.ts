import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

/** file-type reads at most this many leading bytes to recognise a format. */
const SAMPLE_BYTES = 4100;

/**
 * Reads the first bytes of `source`, recognises the format from its magic numbers (never from the
 * client's Content-Type or file name), and hands back a stream that still yields every byte.
 */
export async function sniffType(source: Readable): Promise<{ mime: string | undefined; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const sample = Buffer.concat(head);
  const detected = await fileTypeFromBuffer(sample);
  async function* replay() {
    yield sample;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { mime: detected?.mime, stream: Readable.from(replay(), { objectMode: false }) };
}
