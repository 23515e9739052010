/** What a client is told about an error: status, code and a message safe to show, by kind of error. */
import { describe, expect, it } from 'vitest';
import { describeError, statusText } from '../src/errors/describe-error.js';
import { HttpError, notFound } from '../src/errors/http-error.js';

const frameworkError = (code: string, statusCode: number, message = 'framework words') =>
  Object.assign(new Error(message), { code, statusCode });

describe('describeError', () => {
  it('keeps an HttpError as thrown: status, code, message and details', () => {
    const error = new HttpError(409, 'TAKEN', 'That name is taken', { details: { field: 'name' } });
    expect(describeError(error, true)).toEqual({
      status: 409,
      code: 'TAKEN',
      message: 'That name is taken',
      details: { field: 'name' },
      internal: false,
    });
    expect(describeError(notFound(), true)).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'Not Found' });
  });

  it('turns schema validation into VALIDATION_FAILED naming each path', () => {
    const error = Object.assign(new Error('body/name must be string'), {
      statusCode: 400,
      validationContext: 'body',
      validation: [
        { instancePath: '/name', message: 'must be string' },
        { instancePath: '', message: 'must have required property', params: { missingProperty: 'email' } },
      ],
    });
    expect(describeError(error, true)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [
        { path: 'body.name', message: 'must be string' },
        { path: 'body.email', message: 'must have required property' },
      ],
    });
  });

  it('maps Fastify client errors to documented codes and messages of ours', () => {
    const described = describeError(frameworkError('FST_ERR_CTP_INVALID_JSON_BODY', 400), true);
    expect(described).toEqual({
      status: 400,
      code: 'MALFORMED_BODY',
      message: 'The request body is not valid JSON',
      internal: false,
    });
    expect(describeError(frameworkError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), true).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(describeError(frameworkError('FST_CSRF_INVALID_TOKEN', 403), true).code).toBe('CSRF_INVALID_TOKEN');
  });

  it('names an unknown framework code by its status, never passing FST_ or ERR_ codes or their words on', () => {
    for (const code of ['FST_ERR_SOMETHING_NEW', 'ERR_SOMETHING']) {
      const described = describeError(frameworkError(code, 400, 'internal framework words'), true);
      expect(described).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: 'Bad Request' });
    }
  });

  it('keeps a plugin client error with a code of our form', () => {
    expect(describeError(frameworkError('URI_TOO_LONG', 414, 'The URI is too long'), true)).toMatchObject({
      status: 414,
      code: 'URI_TOO_LONG',
      message: 'The URI is too long',
    });
  });

  it('hides the message of an unexpected error in production and shows it in development', () => {
    const error = new Error('the database password is hunter2');
    expect(describeError(error, true)).toEqual({
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal Server Error',
      internal: true,
    });
    expect(describeError(error, false).message).toContain('hunter2');
    expect(describeError('a thrown string', true)).toMatchObject({ status: 500, internal: true });
    expect(describeError(undefined, true)).toMatchObject({ status: 500, internal: true });
  });

  it('keeps a 5xx status a library chose, still hiding its message', () => {
    expect(describeError(frameworkError('SOMETHING', 503, 'pool exhausted'), true)).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Service Unavailable',
      internal: true,
    });
  });
});

describe('statusText', () => {
  it("is Node's reason phrase, with a generic one for unknown statuses", () => {
    expect(statusText(404)).toBe('Not Found');
    expect(statusText(431)).toBe('Request Header Fields Too Large');
    expect(statusText(599)).toBe('Server Error');
    expect(statusText(499)).toBe('Client Error');
  });
});
