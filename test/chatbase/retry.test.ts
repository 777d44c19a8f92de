import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BASE_BACKOFF_MS, backoffMs, MAX_BACKOFF_MS, mayRetry, MIN_WAIT_MS, retryAfterMs, waitBeforeRetry } from '../../src/chatbase/retry'

const now = Date.parse('2025-06-01T12:00:00Z')

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('0', now)).toBe(0)
    expect(retryAfterMs(' 7 ', now)).toBe(7_000)
  })

  it('reads an HTTP date, as the time left until then, never negative', () => {
    expect(retryAfterMs('Sun, 01 Jun 2025 12:00:20 GMT', now)).toBe(20_000)
    expect(retryAfterMs('Sun, 01 Jun 2025 11:59:00 GMT', now)).toBe(0)
  })

  it('ignores an absent or unreadable value', () => {
    for (const value of [undefined, '', '  ', 'soon', '-5', '1.5e3']) {
      expect(retryAfterMs(value, now)).toBeUndefined()
    }
  })

  it('is what a retried status waits for (never less than the least wait), and a network failure always backs off', () => {
    expect(waitBeforeRetry({ status: 429, body: '', retryAfter: '3' }, 1, now)).toEqual({ ms: 3_000, fromRetryAfter: true })
    expect(waitBeforeRetry({ status: 503, body: '', retryAfter: '0' }, 1, now)).toEqual({ ms: MIN_WAIT_MS, fromRetryAfter: true })
    expect(waitBeforeRetry({ status: 429, body: '' }, 1, now).fromRetryAfter).toBe(false)
    expect(waitBeforeRetry({ networkCode: 'ECONNRESET' }, 1, now).fromRetryAfter).toBe(false)
  })
})

describe('backoff', () => {
  it('stays between half and all of a ceiling that doubles from the base up to the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1))
        const wait = backoffMs(attempt, () => random)
        return wait >= ceiling / 2 && wait < ceiling + 1e-9
      })
    )
    expect(backoffMs(1, () => 0)).toBe(BASE_BACKOFF_MS / 2)
    expect(backoffMs(30, () => 0.999)).toBeLessThan(MAX_BACKOFF_MS)
  })
})

describe('what is retried', () => {
  it.each([
    ['429', true, true, { status: 429, body: '' }],
    ['502', true, false, { status: 502, body: '' }],
    ['503', true, false, { status: 503, body: '' }],
    ['504', true, false, { status: 504, body: '' }],
    ['500', false, false, { status: 500, body: '' }],
    ['404', false, false, { status: 404, body: '' }],
    ['a reset', true, false, { networkCode: 'ECONNRESET' }],
    ['an unknown network failure', true, false, { networkCode: undefined }],
    ['a refused connection', true, true, { networkCode: 'ECONNREFUSED' }],
    ['a DNS failure', true, true, { networkCode: 'EAI_AGAIN' }],
  ])('%s: retried %s for an idempotent request, %s for another', (_, idempotent, other, failure) => {
    expect(mayRetry(failure, true)).toBe(idempotent)
    expect(mayRetry(failure, false)).toBe(other)
  })
})
