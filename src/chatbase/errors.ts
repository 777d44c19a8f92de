import { RuntimeError } from '@botpress/sdk'
import { megabytes } from '../definitions/constants'
import { isRecord, parseJsonOrUndefined } from '../json'
import { toStudioFieldPath } from './v1/mapping'
import type { RetryPolicy, WaitHeader } from './retry'
import { errorBody } from './v1/wire'

/** What the failing request was for, so every message says what could not be done and what was looked for. */
export type RequestContext = {
  /** e.g. "update the contact" */
  operation: string
  /** e.g. 'contact "c_1" of chatbot "bot_1"': named when Chatbase answers 404 */
  target: string
}

/** A request as the transport sends it: what sending it twice would do decides what is retried and what is said. */
export type SentRequest = RequestContext & { policy: RetryPolicy }

export type HttpAnswer = {
  status: number
  body: string
  contentType?: string
  retryAfter?: string
  /** v2's X-RateLimit-Reset: when the rate window resets, in epoch milliseconds or seconds (sources disagree). */
  rateLimitReset?: string
  /** v2's x-request-id, which Chatbase's support asks for. */
  requestId?: string
  location?: string
}
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
    public readonly status?: number,
    /** API v2's error code, e.g. `SOURCE_DUPLICATE`. */
    public readonly chatbaseCode?: string
  ) {
    super(message)
  }
}

/** API v2's error envelope `{ error: { code, message, details } }`, as far as the body holds it. */
type V2Error = { code?: string; message?: unknown; details?: unknown }

const v2ErrorOf = (body: unknown): V2Error | undefined => {
  const error = isRecord(body) ? body.error : undefined
  if (!isRecord(error)) {
    return undefined
  }
  const { code, message, details } = error
  return { code: typeof code === 'string' ? code : undefined, message, details }
}

/** The v2 error code of an answer, if it has one. */
export const errorCodeOf = (failure: Failure): string | undefined =>
  'status' in failure ? v2ErrorOf(parseJsonOrUndefined(failure.body))?.code : undefined

/** Both spellings Chatbase's sources give for "this plan has no API v2". */
const PLAN_RESTRICTED_CODES = new Set(['SUBSCRIPTION_API_RESTRICTED_PLAN', 'SUBSCRIPTION_PLAN_REQUIRED'])

/** Chatbase refused API v2 for the key's plan: v1 may still serve what v1 has. */
export const isPlanRestricted = (thrown: unknown): boolean =>
  thrown instanceof ChatbaseError && thrown.status === 403 && PLAN_RESTRICTED_CODES.has(thrown.chatbaseCode ?? '')

/** A failure after which Chatbase may have acted, its answer lost: what a creation must check before sending again. */
export const isLostAnswer = (thrown: unknown): thrown is ChatbaseError =>
  thrown instanceof ChatbaseError && thrown.delivery === 'unknown'

/** Scheduled maintenance: "rejected before any data is read or written", so it may be sent again whatever it is. */
export const isMaintenance = (failure: Failure): boolean =>
  'status' in failure && failure.status === 503 && errorCodeOf(failure) === 'SERVICE_UNDER_MAINTENANCE'

/** What to do about a v2 code, where Chatbase's own message does not say it. */
const ADVICE_BY_CODE: Record<string, string> = {
  SUBSCRIPTION_API_RESTRICTED_PLAN:
    'Chatbase API v2 needs the Standard plan or higher: upgrade the workspace, or set "Chatbase API" to v1 in the integration\'s configuration.',
  PLAN_FEATURE_NOT_AVAILABLE: 'This feature needs the Chatbase Standard plan or higher.',
  AUTH_INSUFFICIENT_PERMISSIONS:
    'The API key is not allowed to do this: create a key with full access in Chatbase > Workspace Settings > API Keys and paste it into the configuration.',
  AUTH_EXPIRED_API_KEY:
    'The API key has expired: create a new one in Chatbase > Workspace Settings > API Keys and paste it into the configuration.',
  CHAT_CREDITS_EXHAUSTED: "The workspace's message credits ran out: add credits or upgrade the plan in Chatbase.",
  CHAT_AGENT_CREDITS_EXHAUSTED:
    "The AI agent used up its own credit limit: raise or remove the agent's credit limit in Chatbase.",
  CHAT_MODEL_NOT_ALLOWED: "The AI agent's model is not available on this plan: pick another model in Chatbase.",
  AGENT_LIMIT_REACHED: 'The workspace has as many AI agents as its plan allows: delete one or upgrade the plan.',
  SOURCE_DUPLICATE:
    'The AI agent already has a source with this URL and link type: update or delete that source instead of adding it again.',
  SOURCE_SIZE_LIMIT_EXCEEDED:
    "The AI agent's sources would go past the storage its plan allows: remove some sources or upgrade the plan in Chatbase.",
  SOURCE_PENDING_DELETION: 'The source is being deleted and can no longer change: add a new source instead.',
  SOURCE_ALREADY_PENDING_DELETION: 'The source is already being deleted: there is nothing more to do.',
}
// The other spellings Chatbase's sources give for the same codes.
ADVICE_BY_CODE.SUBSCRIPTION_PLAN_REQUIRED = ADVICE_BY_CODE.SUBSCRIPTION_API_RESTRICTED_PLAN!
ADVICE_BY_CODE.PERMISSION_DENIED = ADVICE_BY_CODE.AUTH_INSUFFICIENT_PERMISSIONS!
ADVICE_BY_CODE.API_KEY_EXPIRED = ADVICE_BY_CODE.AUTH_EXPIRED_API_KEY!

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export const deliveryOf = (failure: Failure): Delivery => {
  if ('status' in failure) {
    return failure.status < 500 || isMaintenance(failure) ? 'answered' : 'unknown'
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

/**
 * What Chatbase said in an error body, as `: <message> (<issues>)`; empty when the body says nothing readable. v1
 * writes `{ message, issues }`, v2 `{ error: { code, message, details } }` with details naming the fields.
 */
const chatbaseSaid = (rawBody: string): string => {
  const json = parseJsonOrUndefined(rawBody)
  const v2 = v2ErrorOf(json)
  const parsed = v2
    ? { success: true as const, data: { message: v2.message, issues: v2.details } }
    : errorBody.safeParse(json)
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
  const code = errorCodeOf(failed)
  const advice = code === undefined ? undefined : ADVICE_BY_CODE[code]
  if (status >= 300 && status < 400) {
    const where = failed.location ? `"${quote(failed.location)}"` : 'an address it did not give (no Location header)'
    return `Chatbase answered ${status} and tried to send the request to ${where}. Redirects are not followed, so nothing was sent there.`
  }
  if (advice) {
    return `Chatbase refused the request (${status})${said}. ${advice}`
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
      // v1's only 409 is a contact's email already in use, and it may come without a body.
      return code === undefined
        ? `Chatbase refused the change (409)${said || ': Email already exists'}. Another contact of this chatbot already uses that email.`
        : `Chatbase refused the change (409)${said}.`
    default:
      if (status === 429 || status >= 500) {
        const transient = transientOf(failed)
        return `${transient.now}. ${transient.advice}`
      }
      return `Chatbase answered with status ${status}${said}.`
  }
}

/** v2 names every answer: support asks for the id. */
const requestIdOf = (failed: Failure): string =>
  'status' in failed && failed.requestId ? ` Chatbase request ID: ${quote(failed.requestId)}.` : ''

// Said when the outcome is unknown of a request that is not repeated blindly, so that nothing is done twice: reads
// change nothing, and an idempotent write may simply be sent again.
const MAY_HAVE_ACTED: Record<RetryPolicy, string> = {
  read: '',
  'idempotent-write': '',
  billed:
    ' Chatbase may have carried out the request anyway: each send may use a message credit, so it is sent again at most once.',
  creation: ' Chatbase may have carried out the request anyway: check whether it took effect before trying again.',
}

const failure = (request: SentRequest, reason: string, delivery: Delivery, answer?: Failure): ChatbaseError =>
  new ChatbaseError(
    `Could not ${request.operation}. ${reason}${delivery === 'unknown' ? MAY_HAVE_ACTED[request.policy] : ''}${answer ? requestIdOf(answer) : ''}`,
    delivery,
    answer && 'status' in answer ? answer.status : undefined,
    answer ? errorCodeOf(answer) : undefined
  )

/** What a read of a list showed missing from it, said as Chatbase says a 404. */
export const notFoundError = (context: RequestContext): ChatbaseError =>
  new ChatbaseError(`Could not ${context.operation}. ${notFound(context.target)}`, 'answered', 404)

/** The error for an attempt that is not tried again. Only the network error code is kept, never the client's error. */
export const failureError = (failed: Failure, request: SentRequest): ChatbaseError => {
  if ('status' in failed) {
    return failure(request, reasonForStatus(failed, request), deliveryOf(failed), failed)
  }
  const transient = transientOf(failed)
  return failure(request, `${transient.now}. ${transient.advice}`, deliveryOf(failed), failed)
}

export const timeoutError = (timeoutMs: number, request: SentRequest): ChatbaseError =>
  failure(
    request,
    `Chatbase did not answer within ${seconds(timeoutMs)} s (timeout). Raise "Timeout (seconds)" in the configuration if the chatbot needs longer.`,
    'unknown'
  )

/** A 2xx whose body is not what the docs describe: Chatbase may have acted, but what it did cannot be read. */
export const unexpectedResponseError = (status: number, detail: string, request: SentRequest): ChatbaseError =>
  failure(request, `Chatbase answered ${status} with an unexpected response (${quote(detail)}).`, 'unknown', {
    status,
    body: '',
  })

/** A streamed answer that ended with an `error` event: Chatbase may have billed the message. */
export const streamError = (reason: string, request: SentRequest): ChatbaseError =>
  failure(request, `Chatbase's answer stream ended with an error (${quote(reason)}).`, 'unknown')

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
  askedBy?: WaitHeader
  limitMs: number
}

/** Retrying stopped because the next try would not fit in the action's deadline: say what kept happening. */
export const gaveUpError = (last: Failure, retries: Retries, request: SentRequest): ChatbaseError => {
  const transient = transientOf(last)
  const what =
    retries.attempts > 1
      ? `${transient.kept} for ${seconds(retries.elapsedMs)} s (${retries.attempts} attempts)`
      : transient.now
  const why = retries.askedBy
    ? `waiting the ${seconds(retries.waitMs)} s Chatbase asked for (${retries.askedBy}) would leave no time for another try within`
    : 'another try would not fit within'
  return failure(
    request,
    `${what}; ${why} the ${seconds(retries.limitMs)} s the action may take ("Timeout (seconds)" in the configuration). ${transient.advice}`,
    deliveryOf(last),
    last
  )
}
