import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids are ours unless a trusted proxy's header carries a well-formed one: a client must not
 * be able to forge log correlation or inject text into logs through this header.
 */
export function requestIdGenerator(trustedHeader: string | undefined): (request: IncomingMessage) => string {
  if (!trustedHeader) return () => randomUUID();
  return (request) => {
    const value = request.headers[trustedHeader];
    return typeof value === 'string' && WELL_FORMED.test(value) ? value : randomUUID();
  };
}
