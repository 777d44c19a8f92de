import { RuntimeError } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import {
  ChatbaseError,
  deliveryOf,
  failureError,
  gaveUpError,
  notFoundError,
  redact,
  timeoutError,
  type SentRequest,
} from '../../src/chatbase/errors'
import type { RetryPolicy } from '../../src/chatbase/retry'

/* Each failure becomes one RuntimeError a bot builder can act on: what was tried, and whether Chatbase acted. */

const request = (policy: RetryPolicy = 'read'): SentRequest => ({
  operation: 'update the contact',
  target: 'contact "c1" of chatbot "b1"',
  policy,
})
const answered = (status: number, body: unknown = '', extra: { location?: string } = {}) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
})

const messageOf = (status: number, body?: unknown, policy?: RetryPolicy) =>
  failureError(answered(status, body), request(policy)).message

describe('failureError', () => {
  it('is a RuntimeError, so its message reaches Studio, and tells code the status and what happened on the wire', () => {
    const error = failureError(answered(404), request())

    expect(error).toBeInstanceOf(RuntimeError)
    expect(error).toBeInstanceOf(ChatbaseError)
    expect([error.status, error.delivery]).toEqual([404, 'answered'])
  })

  it.each([
    [
      401,
      {},
      'Could not update the contact. Chatbase rejected the API key (401 Unauthorized). Check the API Key in the integration configuration.',
    ],
    [
      403,
      { message: 'Plan required' },
      'Could not update the contact. Chatbase refused access (403): Plan required. Check that the Chatbase plan includes the API.',
    ],
    [
      404,
      { message: 'Contact not found' },
      'Could not update the contact. Chatbase found no contact "c1" of chatbot "b1" (404): Contact not found.',
    ],
    [
      409,
      {},
      'Could not update the contact. Chatbase refused the change (409): Email already exists. Another contact of this chatbot already uses that email.',
    ],
    [418, { message: 'teapot' }, 'Could not update the contact. Chatbase answered with status 418: teapot.'],
    [
      429,
      {},
      'Could not update the contact. Chatbase is rate-limiting requests (429 Too Many Requests). Wait a moment and try again.',
    ],
    [
      500,
      { message: 'Boom' },
      'Could not update the contact. Chatbase had a server error (500): Boom. Try again later.',
    ],
  ])('says what a %i means', (status, body, expected) => {
    expect(messageOf(status, body)).toBe(expected)
  })

  it.each([
    [
      'field and message',
      { issues: [{ field: 'custom_attributes.age', message: 'Expected number' }] },
      'customAttributes.age: Expected number',
    ],
    ['a path array', { issues: [{ path: ['phonenumber'], message: 'Invalid' }] }, 'phoneNumber: Invalid'],
    ['a message alone', { issues: [{ message: 'Something is off' }] }, 'Something is off'],
    ['a plain string', { issues: ['Bad request'] }, 'Bad request'],
    ['an object of fields', { issues: { email: 'Invalid email' } }, 'email: Invalid email'],
  ])('keeps every 400 issue given as %s, under Studio field names', (_, body, shown) => {
    expect(messageOf(400, body)).toBe(`Could not update the contact. Chatbase rejected the request (400): ${shown}`)
  })

  it('shows the message beside the issues, and says nothing of a body that is not JSON', () => {
    expect(
      messageOf(400, { message: 'Invalid request body', issues: [{ field: 'email', message: 'Invalid email' }] })
    ).toBe(
      'Could not update the contact. Chatbase rejected the request (400): Invalid request body (email: Invalid email)'
    )
    expect(messageOf(400, '<html>Bad Request</html>')).toBe(
      'Could not update the contact. Chatbase rejected the request (400)'
    )
  })

  it('cuts a long message from Chatbase short', () => {
    expect(messageOf(500, { message: 'x'.repeat(1_000) }).length).toBeLessThan(400)
  })

  it('says where a redirect pointed, and that it was not followed', () => {
    const error = failureError(answered(302, '', { location: 'https://elsewhere.example/api' }), request())

    expect(error.message).toBe(
      'Could not update the contact. Chatbase answered 302 and tried to send the request to "https://elsewhere.example/api". Redirects are not followed, so nothing was sent there.'
    )
    expect(error.delivery).toBe('answered')
  })

  it.each([
    ['read', ''],
    ['idempotent-write', ''],
    [
      'billed',
      ' Chatbase may have carried out the request anyway: each send may use a message credit, so it is sent again at most once.',
    ],
    [
      'creation',
      ' Chatbase may have carried out the request anyway: check whether it took effect before trying again.',
    ],
  ] as const)('after an unknown outcome, warns only what a %s request calls for', (policy, warning) => {
    expect(messageOf(502, '', policy)).toBe(
      `Could not update the contact. Chatbase had a server error (502). Try again later.${warning}`
    )
    expect(messageOf(400, '', policy)).toBe('Could not update the contact. Chatbase rejected the request (400)')
  })

  it('keeps only the network code of a failure without an answer', () => {
    const error = failureError({ networkCode: 'ECONNRESET' }, request('creation'))

    expect(error.message).toBe(
      "Could not update the contact. Could not reach Chatbase (ECONNRESET). Check the network and Chatbase's status page. Chatbase may have carried out the request anyway: check whether it took effect before trying again."
    )
    expect([error.delivery, error.status]).toEqual(['unknown', undefined])
  })
})

describe('deliveryOf', () => {
  it.each([
    [{ status: 400, body: '' }, 'answered'],
    [{ status: 429, body: '' }, 'answered'],
    [{ status: 500, body: '' }, 'unknown'],
    [{ status: 504, body: '' }, 'unknown'],
    [{ networkCode: 'ECONNREFUSED' }, 'not-sent'],
    [{ networkCode: 'ENOTFOUND' }, 'not-sent'],
    [{ networkCode: 'ECONNRESET' }, 'unknown'],
    [{ networkCode: undefined }, 'unknown'],
  ] as const)('%j → %s', (failed, delivery) => {
    expect(deliveryOf(failed)).toBe(delivery)
  })
})

describe('the other failures', () => {
  it('says the deadline passed, and how to give the chatbot longer', () => {
    expect(timeoutError(2_500, request('billed')).message).toBe(
      'Could not update the contact. Chatbase did not answer within 2.5 s (timeout). Raise "Timeout (seconds)" in the configuration if the chatbot needs longer. Chatbase may have carried out the request anyway: each send may use a message credit, so it is sent again at most once.'
    )
  })

  it('says what kept happening when retries reach the deadline, and whether Chatbase asked for the wait', () => {
    const kept = gaveUpError(answered(429), { attempts: 3, elapsedMs: 1_800, waitMs: 700, limitMs: 2_000 }, request())
    const asked = gaveUpError(
      answered(429),
      { attempts: 1, elapsedMs: 0, waitMs: 120_000, askedBy: 'Retry-After', limitMs: 40_000 },
      request()
    )

    expect(kept.message).toBe(
      'Could not update the contact. Chatbase kept rate-limiting requests (429 Too Many Requests) for 1.8 s (3 attempts); another try would not fit within the 2 s the action may take ("Timeout (seconds)" in the configuration). Wait a moment and try again.'
    )
    expect(asked.message).toContain(
      'waiting the 120 s Chatbase asked for (Retry-After) would leave no time for another try within the 40 s'
    )
  })

  it('says a 404 found by reading a list as Chatbase says one', () => {
    expect(notFoundError(request()).message).toBe(
      'Could not update the contact. Chatbase found no contact "c1" of chatbot "b1" (404).'
    )
  })
})

describe('redact', () => {
  it('replaces the key, as given and URL-encoded, wherever it appears', () => {
    const key = 'sk live/+key'

    expect(redact(`echo ${key} and ${encodeURIComponent(key)}`, key)).toBe('echo [redacted] and [redacted]')
    expect(redact('nothing secret', '')).toBe('nothing secret')
  })
})
