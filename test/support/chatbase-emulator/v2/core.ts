// Chatbase API v2 (https://www.chatbase.co/api/v2) and its files host (https://files.chatbase.co/api/v2), served by
// the emulator's server beside v1: what every v2 call goes through before an area handles it (the contract, the
// maintenance window, the key and the plan), the error envelope, and the headers of every answer. Areas register
// their handlers by the spec's operationId, which names host, method and path at once.
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Host, OpenApiContract } from '../../openapi-contract'
import type { Answer, FormPart } from '../server'

export type { Host } from '../../openapi-contract'

export type V2Context = {
  params: Record<string, string>
  query: Record<string, string>
  json: unknown // the JSON body, already valid under the operation's request schema
  parts?: FormPart[]
}
// JSON, or the events of an AI SDK UI message stream (sent as SSE, each as a data: line, then data: [DONE])
// `conflict`: a shape chatbase-api-v2.md records Chatbase's own sources disagreeing on (e.g. §14.6), emulated on
// purpose and so not held to the spec
export type V2Answer =
  { status: number; json: unknown; conflict?: boolean } | { status: number; events: Record<string, unknown>[] }
export type V2Route = { operation: string; handle: (context: V2Context) => V2Answer }

// Thrown by a handler to answer Chatbase's error envelope { error: { code, message, details? } }
export class V2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string>
  ) {
    super(message)
  }
}

export const agentNotFound = () => new V2Error(404, 'AGENT_NOT_FOUND', 'Agent not found')
export const invalidBody = (details: Record<string, string>) =>
  new V2Error(400, 'VALIDATION_INVALID_BODY', 'Invalid request', details)

// What the key's plan allows: everything, the API without auto-retrain (PLAN_FEATURE_NOT_AVAILABLE), or no v2 at all
export type PlanAccess = 'full' | 'no-auto-retrain' | 'no-api'
// Chatbase's sources spell three codes two ways (§4.2): the spec's and error page's, or the other one
export type ErrorSpelling = 'documented' | 'alternative'
export type KeyState = 'valid' | 'expired' | 'insufficient-permissions'
// X-RateLimit-Reset: epoch milliseconds (the docs) or seconds (the spec)
export type ResetUnit = 'ms' | 's'

const SPELLINGS = {
  plan: ['SUBSCRIPTION_API_RESTRICTED_PLAN', 'SUBSCRIPTION_PLAN_REQUIRED'],
  expired: ['AUTH_EXPIRED_API_KEY', 'API_KEY_EXPIRED'],
  permissions: ['AUTH_INSUFFICIENT_PERMISSIONS', 'PERMISSION_DENIED'],
} as const

// The code and message Chatbase gives each status in general (§4.2), for injected faults without a body
const GENERIC_ERRORS: Record<number, [string, string]> = {
  400: ['VALIDATION_INVALID_BODY', 'Invalid request'],
  401: ['AUTH_INVALID_API_KEY', 'Invalid API key'],
  402: ['CHAT_CREDITS_EXHAUSTED', 'Message limit reached'],
  403: ['SUBSCRIPTION_API_RESTRICTED_PLAN', 'A Standard plan or higher is required to access the API'],
  404: ['RESOURCE_NOT_FOUND', 'The requested item could not be found'],
  429: ['RATE_LIMIT_TOO_MANY_REQUESTS', 'Too many requests, please try again later'],
  500: ['INTERNAL_SERVER_ERROR', 'Something went wrong, please try again'],
  503: [
    'SERVICE_UNDER_MAINTENANCE',
    'The API is temporarily unavailable for scheduled maintenance, please try again later',
  ],
}

// "100 requests per 10-second sliding window" (§3). The emulator counts but does not refuse on its own: the soak and
// the bench send far more, and a test asks for a 429 with a fault.
const RATE_LIMIT = 100
const RATE_WINDOW_MS = 10_000
const JSON_TYPE = 'application/json; charset=utf-8'

export type V2Request = {
  host: Host
  method: string
  path: string // relative to the host's /api/v2
  authorization: string | undefined
  contentType: string | undefined
  query: Record<string, string>
  body: string
  parts?: FormPart[]
}

export class V2Api {
  planAccess: PlanAccess = 'full'
  spelling: ErrorSpelling = 'documented'
  keyState: KeyState = 'valid'
  resetUnit: ResetUnit = 'ms'
  maintenance = false
  readonly violations: string[] = []
  private readonly recent: number[] = [] // when the requests of the current window came, oldest first
  private readonly routes = new Map<string, V2Route>()

  constructor(
    private readonly apiKey: string,
    private readonly contract: OpenApiContract
  ) {
    const now = () => Math.floor(Date.now() / 1000)
    this.register([
      { operation: 'getHealth', handle: () => ({ status: 200, json: { status: 'ok', timestamp: now() } }) },
    ])
  }

  // Each area's routes, the way v1 areas hand theirs to the server
  register(routes: V2Route[]): void {
    for (const route of routes) {
      if (!this.contract.has(route.operation))
        throw new Error(`"${route.operation}" is not an operation of the v2 spec`)
      if (this.routes.has(route.operation)) throw new Error(`Two handlers for ${route.operation}`)
      this.routes.set(route.operation, route)
    }
  }

  private code(kind: keyof typeof SPELLINGS): string {
    return SPELLINGS[kind][this.spelling === 'documented' ? 0 : 1]
  }

  reset(): void {
    this.planAccess = 'full'
    this.spelling = 'documented'
    this.keyState = 'valid'
    this.resetUnit = 'ms'
    this.maintenance = false
    this.violations.length = 0
    this.recent.length = 0
  }

  // Counts a request in the rate window; every v2 request, answered by a fault or not, is one
  count(): void {
    const now = Date.now()
    this.recent.push(now)
    while ((this.recent[0] as number) <= now - RATE_WINDOW_MS) this.recent.shift()
  }

  answer(request: V2Request): Answer {
    const { operationId, answer } = this.respond(request)
    const [contentType, text] =
      'events' in answer
        ? [
            'text/event-stream',
            answer.events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + 'data: [DONE]\n\n',
          ]
        : [JSON_TYPE, JSON.stringify(answer.json)]
    if (operationId && !('conflict' in answer && answer.conflict))
      this.violations.push(...this.contract.checkResponse(operationId, answer.status, contentType, text))
    const stream = 'events' in answer && { 'cache-control': 'no-cache', 'x-vercel-ai-ui-message-stream': 'v1' }
    return {
      status: answer.status,
      text,
      headers: { 'content-type': contentType, ...stream, ...this.headers(answer.status) },
    }
  }

  // An injected fault's answer: the envelope Chatbase gives the status, or a gateway's text for a status it has none
  // for (502, 504…), with the headers of every answer; the fault's own body and headers win
  faultAnswer(status: number, body: string | undefined, headers: Record<string, string> = {}): Answer {
    const generic = GENERIC_ERRORS[status]
    const text = body ?? (generic ? JSON.stringify(errorBody(...generic)) : (STATUS_CODES[status] ?? 'Error'))
    const contentType = body === undefined && !generic ? 'text/plain; charset=utf-8' : JSON_TYPE
    return { status, text, headers: { 'content-type': contentType, ...this.headers(status), ...headers } }
  }

  private respond(request: V2Request): { operationId?: string; answer: V2Answer } {
    const check = this.contract.checkRequest({
      host: request.host,
      method: request.method,
      path: request.path,
      query: request.query,
      contentType: request.contentType,
      body: request.body,
      ...(request.parts && {
        parts: request.parts.map((part) => ({ name: part.name, file: 'bytes' in part })),
      }),
    })
    this.violations.push(...check.violations)
    const { operation } = check
    if (!operation) return { answer: error(404, 'RESOURCE_NOT_FOUND', 'The requested item could not be found') }
    const answer = (value: V2Answer) => ({ operationId: operation.id, answer: value })
    try {
      this.admit(operation.id, request.authorization)
      if (check.refusal?.code === 'VALIDATION_INVALID_JSON') {
        throw new V2Error(400, 'VALIDATION_INVALID_JSON', 'Invalid JSON in request body')
      }
      if (check.refusal) throw invalidBody(check.refusal.details ?? {})
      const route = this.routes.get(operation.id)
      if (!route) {
        this.violations.push(`${operation.id}: not emulated yet`)
        return { answer: error(501, 'NOT_EMULATED', `${operation.id} is not emulated yet`) }
      }
      return answer(
        route.handle({
          params: operation.params,
          query: request.query,
          json: check.json,
          ...(request.parts && { parts: request.parts }),
        })
      )
    } catch (thrown) {
      if (!(thrown instanceof V2Error)) throw thrown
      return answer(error(thrown.status, thrown.code, thrown.message, thrown.details))
    }
  }

  // What Chatbase checks before reading the request: maintenance rejects "before any data is read or written", then
  // the key (every operation but the health check), then the plan
  private admit(operationId: string, authorization: string | undefined): void {
    if (this.maintenance) throw new V2Error(503, ...GENERIC_ERRORS[503]!)
    if (operationId === 'getHealth') return
    if (authorization === undefined) {
      this.violations.push(`${operationId}: no Authorization header`)
      throw new V2Error(401, 'AUTH_MISSING_API_KEY', 'Authentication required')
    }
    if (authorization !== `Bearer ${this.apiKey}`) throw new V2Error(401, 'AUTH_INVALID_API_KEY', 'Invalid API key')
    if (this.keyState === 'expired') throw new V2Error(401, this.code('expired'), 'This API key has expired')
    if (this.keyState === 'insufficient-permissions') {
      throw new V2Error(403, this.code('permissions'), 'This API key does not have permission for this operation')
    }
    if (this.planAccess === 'no-api') {
      throw new V2Error(403, this.code('plan'), 'A Standard plan or higher is required to access the API')
    }
  }

  private headers(status: number): Record<string, string> {
    const resetMs = (this.recent[0] ?? Date.now()) + RATE_WINDOW_MS
    const remaining = status === 429 ? 0 : Math.max(0, RATE_LIMIT - this.recent.length)
    return {
      'x-request-id': randomUUID(),
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(this.resetUnit === 'ms' ? resetMs : Math.ceil(resetMs / 1000)),
    }
  }
}

function errorBody(code: string, message: string, details?: Record<string, string>) {
  return { error: { code, message, ...(details && { details }) } }
}

function error(status: number, code: string, message: string, details?: Record<string, string>): V2Answer {
  return { status, json: errorBody(code, message, details) }
}
