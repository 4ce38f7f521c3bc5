// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError, describeError, detailOf, type ErrorWords } from './errors'

const http = (status: number, reason: string | undefined, message: string, more: { detail?: string; retryAfter?: number } = {}) =>
  new ApiError({ kind: 'http', status, ...(reason ? { reason } : {}), message, ...more })

describe('describeError', () => {
  it.each<[string, unknown, ErrorWords]>([
    [
      "the provider's refusal of the key, in plain words, its own under Details",
      http(403, 'INVALID_API_KEY', 'invalid api key'),
      {
        message: 'The jiekou.ai key was refused. Check it in Settings.',
        details: 'INVALID_API_KEY (HTTP 403)\ninvalid api key',
        fix: 'settings',
        account: 'key',
      },
    ],
    [
      'a rate limit, with the wait it asked for',
      http(429, 'RATE_LIMIT_EXCEEDED', 'too many requests', { retryAfter: 7 }),
      {
        message: 'The provider is busy: too many requests for now. Wait a moment, then try again. The provider asks for 7 s.',
        details: 'RATE_LIMIT_EXCEEDED (HTTP 429)\ntoo many requests',
      },
    ],
    [
      "a provider's field-level refusal: its words go under Details",
      http(400, 'INVALID_REQUEST_BODY', 'duration_seconds must be 8'),
      {
        message: 'The provider refused these settings. Details says which.',
        details: 'INVALID_REQUEST_BODY (HTTP 400)\nduration_seconds must be 8',
      },
    ],
    [
      "the gateway's own plain sentence stays; its detail joins the code",
      http(400, 'INVALID_REQUEST_BODY', "This address can't be reached. Check the link, or drop the file instead.", {
        detail: 'url could not be fetched (ENOTFOUND)',
      }),
      {
        message: "This address can't be reached. Check the link, or drop the file instead.",
        details: 'INVALID_REQUEST_BODY (HTTP 400)\nurl could not be fetched (ENOTFOUND)',
      },
    ],
    [
      'an unknown server error',
      http(500, undefined, 'The server answered 500 Internal Server Error'),
      {
        message: 'The provider had a problem. Try again in a moment.',
        details: 'HTTP error (HTTP 500)\nThe server answered 500 Internal Server Error',
      },
    ],
    [
      'the gateway out of reach',
      new ApiError({ kind: 'network', message: 'Could not reach the gateway.' }),
      {
        message: "The studio can't reach its gateway. Check that it is still running, then try again.",
        details: 'Could not reach the gateway.',
      },
    ],
    [
      "the studio's own error, already in plain words",
      new Error('Add the frame again.'),
      { message: 'Add the frame again.', details: undefined },
    ],
    ['anything without words', {}, { message: 'Something went wrong. Try again.', details: undefined }],
  ])('%s', (_case, error, words) => {
    expect(describeError(error)).toEqual(words)
  })
})

describe('detailOf', () => {
  it.each([
    [{ detail: 'ENOTFOUND' }, 'ENOTFOUND'],
    [{ detail: '  ' }, undefined],
    [{ detail: 3 }, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%o → %s', (metadata, detail) => {
    expect(detailOf(metadata)).toBe(detail)
  })
})
