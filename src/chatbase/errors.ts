import { RuntimeError } from '@botpress/sdk'
import { megabytes } from '../definitions/constants'
import { parseJsonOrUndefined } from '../json'
import { toStudioFieldPath } from './mapping'
import type { RetryPolicy } from './retry'
import { errorBody } from './wire'

/** What the failing request was for, so every message says what could not be done and what was looked for. */
export type RequestContext = {
  /** e.g. "update the contact" */
  operation: string
  /** e.g. 'contact "c_1" of chatbot "bot_1"': named when Chatbase answers 404 */
  target: string
}

/** A request as the transport sends it: what sending it twice would do decides what is retried and what is said. */
export type SentRequest = RequestContext & { policy: RetryPolicy }

export type HttpAnswer = { status: number; body: string; retryAfter?: string; location?: string }
export type NetworkFailure = { networkCode: string | undefined }
/** One attempt that did not succeed: an HTTP answer that is not 2xx, or no answer at all. */
export type Failure = HttpAnswer | NetworkFailure

/**
 * Whether Chatbase may have acted on a failed request: `answered` (a 4xx: Chatbase refused it and says why, nothing
 * was done), `unknown` (it may have acted: a 5xx, which may come from a gateway after Chatbase got the request, a
 * reset, a timeout, a success whose body cannot be read), `not-sent` (it cannot have: connection refused, DNS).
 * Callers that must not lose or double work (a bulk import) decide from this what to check before trying again.
 */
export type Delivery = 'answered' | 'unknown' | 'not-sent'

/** A RuntimeError (its message reaches Studio) that also tells code what happened on the wire. */
export class ChatbaseError extends RuntimeError {
  public constructor(
    message: string,
    public readonly delivery: Delivery,
    public readonly status?: number
  ) {
    super(message)
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export const deliveryOf = (failure: Failure): Delivery => {
  if ('status' in failure) {
    return failure.status < 500 ? 'answered' : 'unknown'
  }
  return NOT_SENT_CODES.has(failure.networkCode ?? '') ? 'not-sent' : 'unknown'
}

const MAX_QUOTED_LENGTH = 300

const quote = (text: string): string =>
  text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text

const REDACTED = '[redacted]'

/** Text from Chatbase, made safe to show: the secret, as given or URL-encoded, never appears in it. */
export const redact = (text: string, secret: string): string =>
  secret === ''
    ? text
    : [secret, encodeURIComponent(secret)].reduce((safe, form) => safe.split(form).join(REDACTED), text)

const textOf = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

/** Where an issue points, whichever way Chatbase writes it: `field: "a.b"`, `path: ["a", "b"]`, or not at all. */
const issueField = (field: unknown, path: unknown): string | undefined => {
  const at =
    typeof field === 'string' ? field : Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : ''
  return at === '' ? undefined : toStudioFieldPath(at)
}

/** One issue as a line, in any shape: a string, `{ field | path, message }`, or an object kept whole. */
const issueText = (issue: unknown): string => {
  if (issue === null || typeof issue !== 'object' || Array.isArray(issue)) {
    return quote(textOf(issue))
  }
  const { field, path, message, ...rest } = issue as Record<string, unknown>
  const at = issueField(field, path)
  const said = quote(message === undefined ? textOf(rest) : textOf(message))
  return at ? `${at}: ${said}` : said
}

const issueTexts = (issues: unknown): string[] => {
  if (issues === undefined || issues === null) {
    return []
  }
  if (Array.isArray(issues)) {
    return issues.map(issueText)
  }
  return typeof issues === 'object'
    ? Object.entries(issues).map(([field, message]) => `${toStudioFieldPath(field)}: ${quote(textOf(message))}`)
    : [quote(textOf(issues))]
}

/** What Chatbase said in an error body, as `: <message> (<issues>)`; empty when the body says nothing readable. */
const chatbaseSaid = (rawBody: string): string => {
  const parsed = errorBody.safeParse(parseJsonOrUndefined(rawBody))
  if (!parsed.success) {
    return ''
  }
  const message =
    parsed.data.message === undefined || parsed.data.message === null ? '' : quote(textOf(parsed.data.message))
  const issues = issueTexts(parsed.data.issues).join('; ')
  if (message && issues) {
    return `: ${message} (${issues})`
  }
  return message || issues ? `: ${message || issues}` : ''
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10)

/** A failure that may pass: how to say it happened, how to say it persisted, and what to do about it. */
type Transient = { now: string; kept: string; advice: string }

const rateLimited: Transient = {
  now: 'Chatbase is rate-limiting requests (429 Too Many Requests)',
  kept: 'Chatbase kept rate-limiting requests (429 Too Many Requests)',
  advice: 'Wait a moment and try again.',
}

const serverError = (status: number, said: string): Transient => ({
  now: `Chatbase had a server error (${status})${said}`,
  kept: `Chatbase kept answering with a server error (${status})`,
  advice: 'Try again later.',
})

const unreachable = (code: string | undefined): Transient => ({
  now: `Could not reach Chatbase (${code ?? 'network error'})`,
  kept: `Chatbase stayed unreachable (${code ?? 'network error'})`,
  advice: "Check the network and Chatbase's status page.",
})

const transientOf = (failure: Failure): Transient => {
  if (!('status' in failure)) {
    return unreachable(failure.networkCode)
  }
  return failure.status === 429 ? rateLimited : serverError(failure.status, chatbaseSaid(failure.body))
}

const notFound = (target: string, said = ''): string => `Chatbase found no ${target} (404)${said}.`

const reasonForStatus = (failed: HttpAnswer, context: RequestContext): string => {
  const { status } = failed
  const said = chatbaseSaid(failed.body)
  if (status >= 300 && status < 400) {
    const where = failed.location ? `"${quote(failed.location)}"` : 'an address it did not give (no Location header)'
    return `Chatbase answered ${status} and tried to send the request to ${where}. Redirects are not followed, so nothing was sent there.`
  }
  switch (status) {
    case 400:
      return `Chatbase rejected the request (400)${said}`
    case 401:
      return 'Chatbase rejected the API key (401 Unauthorized). Check the API Key in the integration configuration.'
    case 403:
      return `Chatbase refused access (403)${said}. Check that the Chatbase plan includes the API.`
    case 404:
      return notFound(context.target, said)
    case 409:
      return `Chatbase refused the change (409)${said || ': Email already exists'}. Another contact of this chatbot already uses that email.`
    default:
      if (status === 429 || status >= 500) {
        const transient = transientOf(failed)
        return `${transient.now}. ${transient.advice}`
      }
      return `Chatbase answered with status ${status}${said}.`
  }
}

// Said when the outcome is unknown of a request that is not repeated blindly, so that nothing is done twice: reads
// change nothing, and an idempotent write may simply be sent again.
const MAY_HAVE_ACTED: Record<RetryPolicy, string> = {
  read: '',
  'idempotent-write': '',
  billed:
    ' Chatbase may have carried out the request anyway: each send may use a message credit, so it is sent again at most once.',
  creation: ' Chatbase may have carried out the request anyway: check whether it took effect before trying again.',
}

const failure = (request: SentRequest, reason: string, delivery: Delivery, status?: number): ChatbaseError =>
  new ChatbaseError(
    `Could not ${request.operation}. ${reason}${delivery === 'unknown' ? MAY_HAVE_ACTED[request.policy] : ''}`,
    delivery,
    status
  )

/** What a read of a list showed missing from it, said as Chatbase says a 404. */
export const notFoundError = (context: RequestContext): ChatbaseError =>
  new ChatbaseError(`Could not ${context.operation}. ${notFound(context.target)}`, 'answered', 404)

/** The error for an attempt that is not tried again. Only the network error code is kept, never the client's error. */
export const failureError = (failed: Failure, request: SentRequest): ChatbaseError => {
  if ('status' in failed) {
    return failure(request, reasonForStatus(failed, request), deliveryOf(failed), failed.status)
  }
  const transient = transientOf(failed)
  return failure(request, `${transient.now}. ${transient.advice}`, deliveryOf(failed))
}

export const timeoutError = (timeoutMs: number, request: SentRequest): ChatbaseError =>
  failure(
    request,
    `Chatbase did not answer within ${seconds(timeoutMs)} s (timeout). Raise "Timeout (seconds)" in the configuration if the chatbot needs longer.`,
    'unknown'
  )

/** A 2xx whose body is not what the docs describe: Chatbase may have acted, but what it did cannot be read. */
export const unexpectedResponseError = (status: number, detail: string, request: SentRequest): ChatbaseError =>
  failure(request, `Chatbase answered ${status} with an unexpected response (${quote(detail)}).`, 'unknown', status)

/** An answer past the size the integration reads: it is cut off at the limit, so nothing huge is held or parsed. */
export const oversizedResponseError = (limitBytes: number, request: SentRequest): ChatbaseError =>
  failure(
    request,
    `Chatbase's answer was larger than ${megabytes(limitBytes)}, the most the integration reads.`,
    'unknown'
  )

export type Retries = {
  attempts: number
  elapsedMs: number
  /** The wait before the next try that did not fit in the deadline, and whether Chatbase asked for it. */
  waitMs: number
  fromRetryAfter: boolean
  limitMs: number
}

/** Retrying stopped because the next try would not fit in the action's deadline: say what kept happening. */
export const gaveUpError = (last: Failure, retries: Retries, request: SentRequest): ChatbaseError => {
  const transient = transientOf(last)
  const what =
    retries.attempts > 1
      ? `${transient.kept} for ${seconds(retries.elapsedMs)} s (${retries.attempts} attempts)`
      : transient.now
  const why = retries.fromRetryAfter
    ? `waiting the ${seconds(retries.waitMs)} s Chatbase asked for (Retry-After) would leave no time for another try within`
    : 'another try would not fit within'
  return failure(
    request,
    `${what}; ${why} the ${seconds(retries.limitMs)} s the action may take ("Timeout (seconds)" in the configuration). ${transient.advice}`,
    deliveryOf(last),
    'status' in last ? last.status : undefined
  )
}
