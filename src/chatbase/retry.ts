import { deliveryOf, isMaintenance, type Failure } from './errors'

/** First backoff ceiling; it doubles with every attempt up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 500
export const MAX_BACKOFF_MS = 8_000
/** A retry is only worth waiting for if at least this much of the deadline is left for the request itself. */
export const MIN_ATTEMPT_MS = 500

/** Answered by the gateways in front of Chatbase: the request may or may not have reached it. */
const GATEWAY_STATUSES = new Set([502, 503, 504])

/**
 * What sending a request twice would do, which decides what may be repeated:
 * - `read`: nothing (GET);
 * - `idempotent-write`: the second send sets the same again (PUT, PATCH, DELETE, update-chatbot-data / -settings);
 * - `billed`: Chatbase answers again and bills another message credit (`/chat`);
 * - `creation`: one more thing is created (contacts, attributes, chatbots, uploads).
 */
export type RetryPolicy = 'read' | 'idempotent-write' | 'billed' | 'creation'

/** `once`: the failure may have reached Chatbase, so the request may be sent again only once per action. */
type Retry = 'yes' | 'once' | 'no'

const AFTER_POSSIBLE_DELIVERY: Record<RetryPolicy, Retry> = {
  read: 'yes',
  'idempotent-write': 'yes',
  billed: 'once',
  creation: 'no',
}

/**
 * 429, v2's scheduled maintenance (503 SERVICE_UNDER_MAINTENANCE, refused before anything is read or written) and
 * failures that prove nothing was sent are retried for every request: Chatbase did not act. A 500 is
 * Chatbase's own answer, so only a read is worth repeating. Gateway errors and resets may come after Chatbase got
 * the request: repeated as the policy allows. Anything else (other statuses, an unreadable success) is final.
 */
export const retryAfter = (failure: Failure, policy: RetryPolicy): Retry => {
  if ('status' in failure) {
    if (failure.status === 429 || isMaintenance(failure)) {
      return 'yes'
    }
    if (failure.status === 500) {
      return policy === 'read' ? 'yes' : 'no'
    }
    return GATEWAY_STATUSES.has(failure.status) ? AFTER_POSSIBLE_DELIVERY[policy] : 'no'
  }
  return deliveryOf(failure) === 'not-sent' ? 'yes' : AFTER_POSSIBLE_DELIVERY[policy]
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export const retryAfterMs = (header: string | undefined, now: number): number | undefined => {
  const value = header?.trim()
  if (!value) {
    return undefined
  }
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000
  }
  // HTTP dates name the day and month; Date.parse alone would also take "-5" for a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

// Epoch values above this are milliseconds: in seconds it would be past the year 33,000.
const EPOCH_MS_THRESHOLD = 1e12

/**
 * v2's X-RateLimit-Reset as a wait: the docs give epoch milliseconds, the spec epoch seconds, so the size of the
 * number decides. Undefined when absent or unreadable.
 */
export const rateLimitResetMs = (header: string | undefined, now: number): number | undefined => {
  const value = header?.trim()
  if (!value || !/^\d+(\.\d+)?$/.test(value)) {
    return undefined
  }
  const epoch = Number(value)
  return Math.max(0, (epoch > EPOCH_MS_THRESHOLD ? epoch : epoch * 1000) - now)
}

/** Exponential backoff with "equal jitter": between half and all of the ceiling, so clients spread out. */
export const backoffMs = (attempt: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1))
  return ceiling / 2 + (random() * ceiling) / 2
}

/** The least wait between attempts, even when Retry-After says 0: no tight loop against a rate limiter. */
export const MIN_WAIT_MS = BASE_BACKOFF_MS / 2

/** The header through which Chatbase asked for a wait. */
export type WaitHeader = 'Retry-After' | 'X-RateLimit-Reset'

/**
 * How long to wait after the given failed attempt (1 for the first): what Chatbase asked for (Retry-After, else on a
 * 429 the rate window's reset), else the backoff.
 */
export const waitBeforeRetry = (
  failure: Failure,
  attempt: number,
  now: number
): { ms: number; askedBy?: WaitHeader } => {
  if ('status' in failure) {
    const retryAfter = retryAfterMs(failure.retryAfter, now)
    if (retryAfter !== undefined) {
      return { ms: Math.max(MIN_WAIT_MS, retryAfter), askedBy: 'Retry-After' }
    }
    const reset = failure.status === 429 ? rateLimitResetMs(failure.rateLimitReset, now) : undefined
    if (reset !== undefined) {
      return { ms: Math.max(MIN_WAIT_MS, reset), askedBy: 'X-RateLimit-Reset' }
    }
  }
  return { ms: backoffMs(attempt) }
}
