import type { z } from '@botpress/sdk'
import axios, { type Method } from 'axios'
import {
  deliveryOf,
  failureError,
  gaveUpError,
  timeoutError,
  unexpectedResponseError,
  type HttpAnswer,
  type NetworkFailure,
  type RequestContext,
  type SentRequest,
} from './errors'
import { mayRetry, MIN_ATTEMPT_MS, waitBeforeRetry } from './retry'

export const CHATBASE_API_URL = 'https://www.chatbase.co/api/v1'

export type TransportOptions = {
  apiKey: string
  /** The whole action's time budget: every request of the action, retries and waits included, shares it. */
  timeoutMs: number
  /** Defaults to CHATBASE_API_URL from the environment (the local emulator), else Chatbase itself. */
  baseUrl?: string
}

export type ChatbaseRequest<S extends z.ZodTypeAny> = RequestContext & {
  method: Method
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  responseSchema: S
  /**
   * Whether sending it twice does no more than sending it once, so that it may be repeated after a gateway error or
   * a reset, when it may already have reached Chatbase. Default: true for every method but POST.
   */
  idempotent?: boolean
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The only code that speaks HTTP to Chatbase: auth, base URL, retries, the action's deadline, and turning every
 * failure into a RuntimeError. One transport serves one action, so that the deadline covers all of its requests.
 */
export class ChatbaseTransport {
  private readonly baseUrl: string
  private readonly deadline: AbortSignal
  private readonly deadlineAt: number

  public constructor(private readonly options: TransportOptions) {
    this.baseUrl = (options.baseUrl ?? process.env.CHATBASE_API_URL ?? CHATBASE_API_URL).replace(/\/+$/, '')
    this.deadline = AbortSignal.timeout(options.timeoutMs)
    this.deadlineAt = Date.now() + options.timeoutMs
  }

  public async request<S extends z.ZodTypeAny>(request: ChatbaseRequest<S>): Promise<z.infer<S>> {
    const sent: SentRequest = {
      operation: request.operation,
      target: request.target,
      idempotent: request.idempotent ?? request.method.toUpperCase() !== 'POST',
    }
    const startedAt = Date.now()
    let earlierAttemptMayHaveActed = false
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(request, sent)
      if ('status' in answer && answer.status >= 200 && answer.status < 300) {
        return this.parse(answer, request.responseSchema, sent)
      }
      // The repeat of a DELETE that may already have gone through finds nothing left: that is the success.
      if ('status' in answer && answer.status === 404 && earlierAttemptMayHaveActed && request.method.toUpperCase() === 'DELETE') {
        return this.parse({ status: 204, body: '' }, request.responseSchema, sent)
      }
      if (!mayRetry(answer, sent.idempotent)) {
        throw failureError(answer, sent)
      }
      const now = Date.now()
      const wait = waitBeforeRetry(answer, attempt, now)
      if (now + wait.ms + MIN_ATTEMPT_MS > this.deadlineAt) {
        const retries = {
          attempts: attempt,
          elapsedMs: now - startedAt,
          waitMs: wait.ms,
          fromRetryAfter: wait.fromRetryAfter,
          limitMs: this.options.timeoutMs,
        }
        throw gaveUpError(answer, retries, sent)
      }
      earlierAttemptMayHaveActed ||= deliveryOf(answer) === 'unknown'
      await sleep(wait.ms)
    }
  }

  /** One attempt: Chatbase's answer, whatever its status, or the network failure. Only the deadline throws. */
  private async send(request: ChatbaseRequest<z.ZodTypeAny>, sent: SentRequest): Promise<HttpAnswer | NetworkFailure> {
    try {
      const response = await axios.request<string>({
        method: request.method,
        url: this.baseUrl + request.path,
        params: request.query,
        data: request.body,
        headers: { Authorization: `Bearer ${this.options.apiKey}`, Accept: 'application/json' },
        signal: this.deadline,
        // The body is parsed below, so that HTML error pages and truncated JSON get a clear message.
        responseType: 'text',
        transformResponse: (data: string) => data,
        validateStatus: () => true,
      })
      const retryAfter: unknown = response.headers['retry-after']
      return { status: response.status, body: response.data, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined }
    } catch (thrown) {
      if (this.deadline.aborted) {
        throw timeoutError(this.options.timeoutMs, sent)
      }
      // Only the code is kept: the client's error object carries the request headers, API key included.
      return { networkCode: axios.isAxiosError(thrown) ? thrown.code : undefined }
    }
  }

  private parse<S extends z.ZodTypeAny>(answer: HttpAnswer, schema: S, sent: SentRequest): z.infer<S> {
    let json: unknown
    try {
      // 204 No Content has no body: only a schema that expects nothing accepts it.
      json = answer.status === 204 ? undefined : JSON.parse(answer.body)
    } catch {
      throw unexpectedResponseError(answer.status, 'not JSON', sent)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the body'
      throw unexpectedResponseError(answer.status, `${where}: ${issue?.message ?? 'invalid'}`, sent)
    }
    return parsed.data
  }
}
