import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BASE_BACKOFF_MS,
  backoffMs,
  MAX_BACKOFF_MS,
  MIN_WAIT_MS,
  retryAfter,
  retryAfterMs,
  waitBeforeRetry,
} from '../../src/chatbase/retry'

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
    expect(waitBeforeRetry({ status: 429, body: '', retryAfter: '3' }, 1, now)).toEqual({
      ms: 3_000,
      askedBy: 'Retry-After',
    })
    expect(waitBeforeRetry({ status: 503, body: '', retryAfter: '0' }, 1, now)).toEqual({
      ms: MIN_WAIT_MS,
      askedBy: 'Retry-After',
    })
    expect(waitBeforeRetry({ status: 429, body: '' }, 1, now).askedBy).toBeUndefined()
    expect(waitBeforeRetry({ networkCode: 'ECONNRESET' }, 1, now).askedBy).toBeUndefined()
  })
})

describe('backoff', () => {
  it('stays between half and all of a ceiling that doubles from the base up to the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1))
          const wait = backoffMs(attempt, () => random)
          return wait >= ceiling / 2 && wait < ceiling + 1e-9
        }
      )
    )
    expect(backoffMs(1, () => 0)).toBe(BASE_BACKOFF_MS / 2)
    expect(backoffMs(30, () => 0.999)).toBeLessThan(MAX_BACKOFF_MS)
  })
})

describe('what is retried', () => {
  // read, idempotent write, billed (/chat), creation
  it.each([
    ['429', { status: 429, body: '' }, ['yes', 'yes', 'yes', 'yes']],
    ['500', { status: 500, body: '' }, ['yes', 'no', 'no', 'no']],
    ['502', { status: 502, body: '' }, ['yes', 'yes', 'once', 'no']],
    ['503', { status: 503, body: '' }, ['yes', 'yes', 'once', 'no']],
    ['504', { status: 504, body: '' }, ['yes', 'yes', 'once', 'no']],
    ['404', { status: 404, body: '' }, ['no', 'no', 'no', 'no']],
    ['a redirect', { status: 302, body: '' }, ['no', 'no', 'no', 'no']],
    ['a reset', { networkCode: 'ECONNRESET' }, ['yes', 'yes', 'once', 'no']],
    ['an unknown network failure', { networkCode: undefined }, ['yes', 'yes', 'once', 'no']],
    ['a refused connection', { networkCode: 'ECONNREFUSED' }, ['yes', 'yes', 'yes', 'yes']],
    ['a DNS failure', { networkCode: 'EAI_AGAIN' }, ['yes', 'yes', 'yes', 'yes']],
  ] as const)('%s: %j for a read, an idempotent write, a billed request and a creation', (_, failure, expected) => {
    expect(
      (['read', 'idempotent-write', 'billed', 'creation'] as const).map((policy) => retryAfter(failure, policy))
    ).toEqual(expected)
  })
})
