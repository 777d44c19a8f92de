import { RuntimeError } from '@botpress/sdk'
import { toStudioFieldPath } from './mapping'
import { errorBody } from './wire'

/** What the failing request was for, so every message says what could not be done and what was looked for. */
export type RequestContext = {
  /** e.g. "update the contact" */
  operation: string
  /** e.g. 'contact "c_1" of chatbot "bot_1"': named when Chatbase answers 404 */
  target: string
}

const MAX_QUOTED_LENGTH = 300

const quote = (text: string): string =>
  text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text

const readErrorBody = (rawBody: string): { message?: string; issues?: { field: string; message: string }[] } => {
  try {
    const parsed = errorBody.safeParse(JSON.parse(rawBody))
    return parsed.success ? parsed.data : {}
  } catch {
    return {}
  }
}

const reasonForStatus = (status: number, rawBody: string, context: RequestContext): string => {
  const { message, issues } = readErrorBody(rawBody)
  const said = message ? `: ${quote(message)}` : ''
  switch (status) {
    case 400: {
      const fields = (issues ?? []).map((issue) => `${toStudioFieldPath(issue.field)}: ${quote(issue.message)}`)
      return fields.length > 0
        ? `Chatbase rejected the request (400): ${fields.join('; ')}`
        : `Chatbase rejected the request (400)${said}`
    }
    case 401:
      return 'Chatbase rejected the API key (401 Unauthorized). Check the API Key in the integration configuration.'
    case 403:
      return `Chatbase refused access (403)${said}. Check that the Chatbase plan includes the API.`
    case 404:
      return `Chatbase found no ${context.target} (404)${said}.`
    case 409:
      return `Chatbase refused the change (409)${said || ': Email already exists'}. Another contact of this chatbot already uses that email.`
    case 429:
      return 'Chatbase is rate-limiting requests (429 Too Many Requests). Wait a moment and try again.'
    default:
      return status >= 500
        ? `Chatbase had a server error (${status})${said}. Try again later.`
        : `Chatbase answered with status ${status}${said}.`
  }
}

/**
 * Whether Chatbase may have acted on a failed request: `answered` (it replied with this status), `unknown` (the
 * request may have reached it: reset, timeout), `not-sent` (it cannot have: e.g. connection refused). Callers that
 * must not lose or double work (a bulk import) decide from this what to check before trying again.
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

const failure = (context: RequestContext, reason: string, delivery: Delivery, status?: number): ChatbaseError =>
  new ChatbaseError(`Could not ${context.operation}. ${reason}`, delivery, status)

export const statusError = (status: number, rawBody: string, context: RequestContext): ChatbaseError =>
  failure(context, reasonForStatus(status, rawBody, context), 'answered', status)

export const timeoutError = (timeoutMs: number, context: RequestContext): ChatbaseError =>
  failure(
    context,
    `Chatbase did not answer within ${timeoutMs / 1000} s (timeout). Raise "Timeout (seconds)" in the configuration if the chatbot needs longer.`,
    'unknown'
  )

/** Only the error code is kept: an HTTP client's error object carries the request headers, API key included. */
export const networkError = (code: string | undefined, context: RequestContext): ChatbaseError =>
  failure(
    context,
    `Could not reach Chatbase (${code ?? 'network error'}). Check the network and Chatbase's status page.`,
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? 'not-sent' : 'unknown'
  )

export const unexpectedResponseError = (status: number, detail: string, context: RequestContext): ChatbaseError =>
  failure(context, `Chatbase answered ${status} with an unexpected response (${detail}).`, 'answered', status)
