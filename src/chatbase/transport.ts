import type { z } from '@botpress/sdk'
import axios, { type Method } from 'axios'
import { networkError, statusError, timeoutError, unexpectedResponseError, type RequestContext } from './errors'

export const CHATBASE_API_URL = 'https://www.chatbase.co/api/v1'

export type TransportOptions = {
  apiKey: string
  /** The whole action's time budget: every request of the action shares it. */
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
}

/**
 * The only code that speaks HTTP to Chatbase: auth, base URL, the action's deadline, and turning every failure into
 * a RuntimeError. One transport serves one action, so that the deadline covers all of the action's requests.
 */
export class ChatbaseTransport {
  private readonly baseUrl: string
  private readonly deadline: AbortSignal

  public constructor(private readonly options: TransportOptions) {
    this.baseUrl = (options.baseUrl ?? process.env.CHATBASE_API_URL ?? CHATBASE_API_URL).replace(/\/+$/, '')
    this.deadline = AbortSignal.timeout(options.timeoutMs)
  }

  public async request<S extends z.ZodTypeAny>(request: ChatbaseRequest<S>): Promise<z.infer<S>> {
    let response: { status: number; data: string }
    try {
      response = await axios.request<string>({
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
    } catch (thrown) {
      if (this.deadline.aborted) {
        throw timeoutError(this.options.timeoutMs, request)
      }
      throw networkError(axios.isAxiosError(thrown) ? thrown.code : undefined, request)
    }

    if (response.status < 200 || response.status >= 300) {
      throw statusError(response.status, response.data, request)
    }
    let json: unknown
    try {
      json = JSON.parse(response.data)
    } catch {
      throw unexpectedResponseError(response.status, 'not JSON', request)
    }
    const parsed = request.responseSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the body'
      throw unexpectedResponseError(response.status, `${where}: ${issue?.message ?? 'invalid'}`, request)
    }
    return parsed.data
  }
}
