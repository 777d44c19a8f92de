import { RuntimeError, type z } from '@botpress/sdk'
import { setTimeout as sleep } from 'node:timers/promises'
import axios, { type Method } from 'axios'
import type { Readable } from 'node:stream'
import type { Deadline } from '../deadline'
import { megabytes } from '../definitions/constants'
import {
  deliveryOf,
  failureError,
  gaveUpError,
  oversizedResponseError,
  redact,
  streamError,
  timeoutError,
  unexpectedResponseError,
  type HttpAnswer,
  type NetworkFailure,
  type RequestContext,
  type SentRequest,
} from './errors'
import { MIN_ATTEMPT_MS, retryAfter, waitBeforeRetry, type RetryPolicy } from './retry'
import { decodeChatStream, isEventStream } from './v2/stream'

/**
 * Chatbase's hosts: API v1 (deprecated, the only one for contacts, attributes, leads and images), API v2, and v2's
 * files host, which only takes file sources. Each may be pointed elsewhere by its environment variable (the local
 * emulator in tests).
 */
export const CHATBASE_APIS = {
  v1: { url: 'https://www.chatbase.co/api/v1', env: 'CHATBASE_API_URL' },
  v2: { url: 'https://www.chatbase.co/api/v2', env: 'CHATBASE_API_V2_URL' },
  files: { url: 'https://files.chatbase.co/api/v2', env: 'CHATBASE_FILES_API_URL' },
} as const
export type ChatbaseApi = keyof typeof CHATBASE_APIS

/** The most of an answer the integration reads: past it, the answer is cut off and the request fails. */
export const MAX_RESPONSE_BYTES = 10_000_000

/** How often per action a billed request (`/chat`) is sent again after a failure that may have reached Chatbase. */
const BILLED_RESENDS = 1

export type TransportOptions = {
  apiKey: string
  /** The action's deadline: every request of the action, retries, waits and downloads included, shares it. */
  deadline: Deadline
  /** Each API's base URL; by default its environment variable (the local emulator), else Chatbase itself. */
  baseUrls?: Partial<Record<ChatbaseApi, string>>
}

type RequestBase = RequestContext & {
  /** Default `v1`. */
  api?: ChatbaseApi
  method: Method
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** What sending it twice would do. Default: `read` for GET, `creation` for POST, `idempotent-write` otherwise. */
  policy?: RetryPolicy
}

/** A request whose answer the output reads: a 2xx must carry a body this schema accepts. */
type ReadingRequest<S extends z.ZodTypeAny> = RequestBase & {
  responseSchema: S
  /** v2's chat, which streams unless told not to: an event stream is read into the JSON answer's shape. */
  mayStream?: true
}

/** A request whose output needs nothing from the answer: any 2xx is success, whatever its body (none, text, JSON). */
type BodylessRequest = RequestBase & {
  ignoreBody: true
  /** A 404 after an earlier attempt that may have gone through means that attempt did the work (a repeated DELETE). */
  goneMeansDone?: boolean
}

/** A file fetched for an upload: its bytes, the type its host gave, and the name its URL gives it. */
export type DownloadedFile = { bytes: Buffer; contentType: string; fileName: string }

/** The name a file URL gives its file: the last segment of its path, decoded. */
export const fileNameOf = (url: URL): string => {
  const last = url.pathname.split('/').pop() ?? ''
  try {
    return decodeURIComponent(last) || 'file'
  } catch {
    return last
  }
}

const defaultPolicy = (method: Method): RetryPolicy => {
  const upper = method.toUpperCase()
  return upper === 'GET' ? 'read' : upper === 'POST' ? 'creation' : 'idempotent-write'
}

/**
 * The only code that speaks HTTP to Chatbase: auth, base URL, retries, the action's deadline, and turning every
 * failure into a RuntimeError; it also fetches the files an upload sends. One transport serves one action, so that
 * the deadline covers all of its requests, downloads included.
 */
const baseUrlOf = (api: ChatbaseApi, given: TransportOptions['baseUrls']): string =>
  (given?.[api] ?? process.env[CHATBASE_APIS[api].env] ?? CHATBASE_APIS[api].url).replace(/\/+$/, '')

export class ChatbaseTransport {
  /** Aborts whatever is in flight when the deadline passes. */
  private readonly deadline: AbortSignal
  /** The action's whole time, as "Timeout (seconds)" sets it: what messages name. */
  private readonly limitMs: number
  private billedResendsLeft = BILLED_RESENDS

  public constructor(private readonly options: TransportOptions) {
    this.deadline = AbortSignal.timeout(options.deadline.remainingMs())
    this.limitMs = options.deadline.ms
  }

  public async request<S extends z.ZodTypeAny>(request: ReadingRequest<S>): Promise<z.infer<S>>
  public async request(request: BodylessRequest): Promise<void>
  public async request(request: ReadingRequest<z.ZodTypeAny> | BodylessRequest): Promise<unknown> {
    const sent: SentRequest = {
      operation: request.operation,
      target: request.target,
      policy: request.policy ?? defaultPolicy(request.method),
    }
    const startedAt = Date.now()
    let earlierAttemptMayHaveActed = false
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(request, sent)
      if ('status' in answer && answer.status >= 200 && answer.status < 300) {
        return 'ignoreBody' in request
          ? undefined
          : this.parse(answer, request.responseSchema, sent, request.mayStream === true)
      }
      if (
        'goneMeansDone' in request &&
        request.goneMeansDone &&
        'status' in answer &&
        answer.status === 404 &&
        earlierAttemptMayHaveActed
      ) {
        return undefined
      }
      // Chatbase's text goes into the message: without the key, whatever it echoes.
      const failure = 'status' in answer ? this.redacted(answer) : answer
      const retry = retryAfter(failure, sent.policy)
      if (retry === 'no' || (retry === 'once' && this.billedResendsLeft === 0)) {
        throw failureError(failure, sent)
      }
      const now = Date.now()
      const wait = waitBeforeRetry(failure, attempt, now)
      if (wait.ms + MIN_ATTEMPT_MS > this.options.deadline.remainingMs()) {
        const retries = {
          attempts: attempt,
          elapsedMs: now - startedAt,
          waitMs: wait.ms,
          askedBy: wait.askedBy,
          limitMs: this.limitMs,
        }
        throw gaveUpError(failure, retries, sent)
      }
      if (retry === 'once') {
        this.billedResendsLeft -= 1
      }
      earlierAttemptMayHaveActed ||= deliveryOf(failure) === 'unknown'
      await sleep(wait.ms)
    }
  }

  /** One attempt: Chatbase's answer, whatever its status, or the network failure. Only the deadline and size throw. */
  private async send(request: RequestBase, sent: SentRequest): Promise<HttpAnswer | NetworkFailure> {
    try {
      const response = await axios.request<string>({
        method: request.method,
        url: baseUrlOf(request.api ?? 'v1', this.options.baseUrls) + request.path,
        params: request.query,
        data: request.body,
        headers: { Authorization: `Bearer ${this.options.apiKey}`, Accept: 'application/json' },
        signal: this.deadline,
        // A redirect would take the request, key included, somewhere else: it is reported instead.
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        // The body is parsed below, so that HTML error pages and truncated JSON get a clear message.
        responseType: 'text',
        transformResponse: (data: string) => data,
        validateStatus: () => true,
      })
      const header = (name: string): string | undefined => {
        const value: unknown = response.headers[name]
        return typeof value === 'string' ? value : undefined
      }
      return {
        status: response.status,
        body: response.data,
        contentType: header('content-type'),
        retryAfter: header('retry-after'),
        rateLimitReset: header('x-ratelimit-reset'),
        requestId: header('x-request-id'),
        location: header('location'),
      }
    } catch (thrown) {
      if (this.deadline.aborted) {
        throw timeoutError(this.limitMs, sent)
      }
      // axios gives the cut-off answer no code of its own, only this message.
      if (axios.isAxiosError(thrown) && thrown.message.startsWith('maxContentLength')) {
        throw oversizedResponseError(MAX_RESPONSE_BYTES, sent)
      }
      // Only the code is kept: the client's error object carries the request headers, API key included.
      return { networkCode: axios.isAxiosError(thrown) ? thrown.code : undefined }
    }
  }

  /**
   * A file to upload, fetched with a plain GET: no Chatbase key goes to the file host, and the action's deadline
   * covers it as it covers the requests to Chatbase. A file of `limitBytes` or more is refused before it is read
   * (Content-Length) or as soon as that many bytes arrived.
   */
  public async download(fileUrl: string, limitBytes: number): Promise<DownloadedFile> {
    const url = new URL(fileUrl)
    const fileName = fileNameOf(url)
    const problem = (reason: string) =>
      new RuntimeError(`Could not download the file "${fileName}" from ${url.host}: ${reason}`)
    const bytes = (count: number) => `${count.toLocaleString('en-US')} bytes`
    const tooLarge = (size: string) =>
      problem(
        `it is ${size}, and Chatbase takes files under ${megabytes(limitBytes)} (${bytes(limitBytes)}). Use a smaller file.`
      )
    let stream: Readable | undefined
    try {
      const response = await axios.request<Readable>({
        method: 'GET',
        url: url.href,
        headers: { Accept: '*/*' },
        responseType: 'stream',
        maxRedirects: 0,
        signal: this.deadline,
        validateStatus: () => true,
      })
      stream = response.data
      if (response.status < 200 || response.status >= 300) {
        throw problem(
          `the file host answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}.`
        )
      }
      const declared = Number(response.headers['content-length'])
      if (declared >= limitBytes) {
        throw tooLarge(bytes(declared))
      }
      const chunks: Buffer[] = []
      let received = 0
      for await (const chunk of stream) {
        received += (chunk as Buffer).length
        if (received >= limitBytes) {
          throw tooLarge(`at least ${bytes(limitBytes)}`)
        }
        chunks.push(chunk as Buffer)
      }
      const type: unknown = response.headers['content-type']
      const contentType =
        typeof type === 'string' && type !== '' ? (type.split(';')[0] ?? type).trim() : 'application/octet-stream'
      return { bytes: Buffer.concat(chunks), contentType, fileName }
    } catch (thrown) {
      stream?.destroy()
      if (this.deadline.aborted) {
        throw problem(
          `it did not arrive within ${this.limitMs / 1000} s, the time the action may take ("Timeout (seconds)" in the configuration).`
        )
      }
      if (thrown instanceof RuntimeError) {
        throw thrown
      }
      throw problem(
        `could not reach the file host (${(axios.isAxiosError(thrown) && thrown.code) || 'network error'}).`
      )
    }
  }

  private redacted(answer: HttpAnswer): HttpAnswer {
    const { apiKey } = this.options
    return {
      ...answer,
      body: redact(answer.body, apiKey),
      location: answer.location && redact(answer.location, apiKey),
    }
  }

  private parse<S extends z.ZodTypeAny>(
    answer: HttpAnswer,
    schema: S,
    sent: SentRequest,
    mayStream: boolean
  ): z.infer<S> {
    let json: unknown
    if (mayStream && isEventStream(answer.contentType, answer.body)) {
      const decoded = decodeChatStream(answer.body)
      if ('streamError' in decoded) {
        throw streamError(redact(decoded.streamError, this.options.apiKey), sent)
      }
      json = decoded.answer
    } else {
      try {
        // 204 No Content has no body: only a schema that expects nothing accepts it.
        json = answer.status === 204 ? undefined : JSON.parse(answer.body)
      } catch {
        throw unexpectedResponseError(answer.status, 'not JSON', sent)
      }
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the body'
      throw unexpectedResponseError(
        answer.status,
        redact(`${where}: ${issue?.message ?? 'invalid'}`, this.options.apiKey),
        sent
      )
    }
    return parsed.data
  }
}
