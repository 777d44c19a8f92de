import { describe, expect, it } from 'vitest'
import { deliveryOf, failureError, isPlanRestricted, type SentRequest } from '../../src/chatbase/errors'
import { rateLimitResetMs, retryAfter, waitBeforeRetry } from '../../src/chatbase/retry'

/* API v2's error envelope, request ids and rate-limit headers, read as Chatbase's sources describe them. */

const request: SentRequest = { operation: 'add the source', target: 'AI agent "a1"', policy: 'creation' }
const v2Answer = (status: number, code: string, message: string, extra: object = {}) => ({
  status,
  body: JSON.stringify({ error: { code, message, ...extra } }),
  requestId: 'req_123',
})

describe('v2 errors', () => {
  it('names the fields of a validation error, its code and the request id support asks for', () => {
    const error = failureError(
      v2Answer(400, 'VALIDATION_INVALID_BODY', 'Invalid request', {
        details: { name: 'Required', 'questions.0': 'String must contain at least 1 character(s)' },
      }),
      request
    )

    expect(error.message).toBe(
      'Could not add the source. Chatbase rejected the request (400): Invalid request (name: Required; questions.0: String must contain at least 1 character(s)) Chatbase request ID: req_123.'
    )
    expect([error.status, error.chatbaseCode, error.delivery]).toEqual([400, 'VALIDATION_INVALID_BODY', 'answered'])
  })

  it.each(['SUBSCRIPTION_API_RESTRICTED_PLAN', 'SUBSCRIPTION_PLAN_REQUIRED'])(
    'reads %s as a plan without API v2, and says which plan it needs',
    (code) => {
      const error = failureError(
        v2Answer(403, code, 'A Standard plan or higher is required to access the API'),
        request
      )

      expect(isPlanRestricted(error)).toBe(true)
      expect(error.message).toContain('Chatbase API v2 needs the Standard plan or higher')
    }
  )

  it('does not take another 403 for a plan without v2', () => {
    const error = failureError(v2Answer(403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'Forbidden'), request)

    expect(isPlanRestricted(error)).toBe(false)
    expect(error.message).toContain('The API key is not allowed to do this')
  })

  it.each([
    ['AUTH_EXPIRED_API_KEY', 401, 'The API key has expired'],
    ['API_KEY_EXPIRED', 401, 'The API key has expired'],
    ['PERMISSION_DENIED', 403, 'The API key is not allowed to do this'],
    ['CHAT_CREDITS_EXHAUSTED', 402, "The workspace's message credits ran out"],
    ['CHAT_AGENT_CREDITS_EXHAUSTED', 402, 'The AI agent used up its own credit limit'],
  ])('says what to do about %s', (code, status, advice) => {
    expect(failureError(v2Answer(status, code, 'Refused'), request).message).toContain(advice)
  })

  it('keeps v1 contacts wording for a bare 409, and Chatbase own words for a v2 one', () => {
    expect(failureError({ status: 409, body: '' }, request).message).toContain('already uses that email')
    const duplicate = failureError(
      v2Answer(409, 'SOURCE_DUPLICATE', 'A source with this URL and type already exists'),
      request
    )
    expect(duplicate.message).toContain('A source with this URL and type already exists')
    expect(duplicate.message).not.toContain('email')
  })
})

describe('v2 retries', () => {
  const maintenance = v2Answer(503, 'SERVICE_UNDER_MAINTENANCE', 'The API is temporarily unavailable')

  it('sends again what scheduled maintenance refused, even a creation, since nothing was read or written', () => {
    expect(retryAfter(maintenance, 'creation')).toBe('yes')
    expect(deliveryOf(maintenance)).toBe('answered')
    expect(retryAfter({ status: 503, body: '' }, 'creation')).toBe('no')
  })

  it('reads X-RateLimit-Reset in epoch milliseconds and in epoch seconds', () => {
    const now = 1_770_000_000_000
    expect(rateLimitResetMs(String(now + 3_000), now)).toBe(3_000)
    expect(rateLimitResetMs(String(now / 1000 + 4), now)).toBe(4_000)
    expect(rateLimitResetMs('soon', now)).toBeUndefined()
  })

  it('waits for Retry-After first, then for the rate window to reset, then backs off', () => {
    const now = 1_770_000_000_000
    const limited = { status: 429, body: '', rateLimitReset: String(now + 2_000) }
    expect(waitBeforeRetry({ ...limited, retryAfter: '1' }, 1, now)).toEqual({ ms: 1_000, askedBy: 'Retry-After' })
    expect(waitBeforeRetry(limited, 1, now)).toEqual({ ms: 2_000, askedBy: 'X-RateLimit-Reset' })
    // The reset names the rate window: after another failure it says nothing.
    expect(waitBeforeRetry({ ...limited, status: 500 }, 1, now).askedBy).toBeUndefined()
  })
})
