// The emulator's HTTP side: a plain node:http server on a random loopback port that records every request, applies
// the injected faults, hands /api/v1 requests with the right API key to the areas' routes, and /api/v2 and the files
// host's /files/api/v2 to the v2 side (v2/core.ts).
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { V2Api } from './v2/core'
import { ApiError } from './validation'

// Which API a request reached: v1, v2, or v2's files host (https://files.chatbase.co/api/v2, served under /files)
export type ApiName = 'v1' | 'v2' | 'files'

export type RecordedRequest = {
  api: ApiName | null // null for a path outside the three
  method: string
  path: string // without the API's prefix (/api/v1, /api/v2 or /files/api/v2), e.g. '/chat'; else the whole path
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: string // raw, as UTF-8 text
  parts?: FormPart[] // a multipart/form-data body, part by part, when it could be read as one
}

// One part of a multipart/form-data body: a field's value, or a file with its name, type and bytes
export type FormPart =
  { name: string; value: string } | { name: string; fileName: string; contentType: string; bytes: Buffer }

export type Fault = {
  api?: ApiName // match only requests to this API (default any)
  method?: string // match only this method (default any)
  path?: string | RegExp // match only this path (same form as RecordedRequest.path); default any
  status?: number // answer this status (500 when only body or headers are given) ...
  // ... with this raw body (default: a documented-style JSON {"message": ...} for the status on v1; on v2 and the
  // files host the error envelope Chatbase gives the status, e.g. RATE_LIMIT_TOO_MANY_REQUESTS for 429, with
  // x-request-id and the X-RateLimit headers)
  body?: string
  headers?: Record<string, string> // e.g. { 'content-type': 'text/html' } or { 'retry-after': '1' }
  delayMs?: number // wait this long before answering (with the fault, or, if it gives nothing else, the normal answer)
  resetConnection?: boolean // destroy the socket without answering
  times?: number // how many matching requests it applies to (default 1)
  afterHandling?: boolean // handle the request first, then answer with the fault: Chatbase acted, its answer was lost
}

export type Answer =
  | { status: number; json: unknown }
  | { status: number; noContent: true }
  | { status: number; text: string; headers?: Record<string, string> }
export type Context = {
  params: Record<string, string>
  query: Record<string, string>
  body: string
  parts?: FormPart[]
}
// Route paths are relative to /api/v1; `:name` segments become params.
export type Route = { method: string; path: string; handle: (context: Context) => Answer }

const PREFIXES: [string, ApiName][] = [
  ['/api/v1', 'v1'],
  ['/api/v2', 'v2'],
  ['/files/api/v2', 'files'],
]
const JSON_TYPE = 'application/json; charset=utf-8'

// Error messages the docs show for these statuses, used when a fault gives no body
const DOCUMENTED_MESSAGES: Record<number, string> = {
  400: 'Invalid request body',
  401: 'Unauthorized access',
  404: 'Not found',
  409: 'Email already exists',
  429: 'Rate limit exceeded',
  500: 'Internal server error',
}

export class ApiServer {
  origin = '' // set by listen(), e.g. http://127.0.0.1:43123
  readonly requests: RecordedRequest[] = []
  readonly stats = { inFlight: 0, maxInFlight: 0 }
  private faults: { fault: Fault; remaining: number }[] = []
  private readonly server = createServer((req, res) => {
    this.onRequest(req, res).catch((error: unknown) => {
      // a bug here or in a setChatReply callback: make it visible, and answer like a failing server
      console.error('chatbase-emulator:', error)
      if (res.headersSent) res.destroy()
      else writeJson(res, 500, { message: DOCUMENTED_MESSAGES[500] })
    })
  })

  constructor(
    readonly apiKey: string,
    private readonly routes: Route[],
    private readonly v2: V2Api
  ) {}

  get url(): string {
    return `${this.origin}/api/v1`
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', resolve)
    })
    const { port } = this.server.address() as AddressInfo
    this.origin = `http://127.0.0.1:${port}`
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()))
      // keep-alive sockets would otherwise hold close() open
      this.server.closeAllConnections()
    })
  }

  injectFault(fault: Fault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error(`Fault times must be a positive integer, got ${times}`)
    this.faults.push({ fault, remaining: times })
  }

  // clears requests, faults and stats.maxInFlight
  reset(): void {
    this.requests.length = 0 // in place, so references held by tests stay live
    this.faults = []
    this.stats.maxInFlight = 0
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.inFlight++
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight)
    try {
      await this.handle(req, res)
    } finally {
      this.stats.inFlight--
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const body = raw.toString('utf8')
    const parts = await readFormParts(raw, req.headers['content-type'])
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator')
    const [prefix, api] = PREFIXES.find(([prefix]) => url.pathname.startsWith(`${prefix}/`)) ?? ['', null]
    const path = url.pathname.slice(prefix.length)
    const query = Object.fromEntries(url.searchParams)
    this.requests.push({ api, method, path, query, headers: { ...req.headers }, body, ...(parts && { parts }) })
    const isV2 = api === 'v2' || api === 'files'
    if (isV2) this.v2.count()

    const fault = this.takeFault(api, method, path)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (req.socket.destroyed) return // the client gave up or the emulator closed while we waited
    const faultAnswers =
      fault !== undefined &&
      (fault.resetConnection || fault.status !== undefined || fault.body !== undefined || fault.headers !== undefined)
    let answer: Answer | undefined
    if (api !== null && (!faultAnswers || fault.afterHandling)) {
      answer = isV2
        ? this.v2.answer({
            host: api === 'files' ? 'files' : 'api',
            method,
            path,
            authorization: req.headers.authorization,
            contentType: req.headers['content-type'],
            query,
            body,
            ...(parts && { parts }),
          })
        : this.dispatch(method, path, req.headers.authorization, { query, body, parts })
    }
    if (fault?.resetConnection) {
      req.socket.destroy()
      return
    }
    if (faultAnswers) {
      const status = fault.status ?? 500
      if (isV2) {
        writeAnswer(res, this.v2.faultAnswer(status, fault.body, fault.headers))
        return
      }
      const message = DOCUMENTED_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error'
      res.writeHead(status, { 'content-type': JSON_TYPE, ...fault.headers })
      res.end(fault.body ?? JSON.stringify({ message }))
      return
    }

    if (!answer) writeJson(res, 404, { message: DOCUMENTED_MESSAGES[404] })
    else writeAnswer(res, answer)
  }

  private takeFault(api: ApiName | null, method: string, path: string): Fault | undefined {
    const entry = this.faults.find(({ fault }) => {
      const apiMatches = fault.api === undefined || fault.api === api
      const methodMatches = fault.method === undefined || fault.method.toUpperCase() === method
      const pathMatches =
        fault.path === undefined || (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path))
      return apiMatches && methodMatches && pathMatches
    })
    if (!entry) return undefined
    if (--entry.remaining === 0) this.faults = this.faults.filter((other) => other !== entry)
    return entry.fault
  }

  // Routing comes before auth, so an unknown route is a 404 whatever the credentials (the docs are silent).
  private dispatch(
    method: string,
    path: string,
    authorization: string | undefined,
    request: Omit<Context, 'params'>
  ): Answer | undefined {
    for (const route of this.routes) {
      const params = route.method === method ? matchPath(route.path, path) : undefined
      if (!params) continue
      if (authorization !== `Bearer ${this.apiKey}`) return { status: 401, json: { message: DOCUMENTED_MESSAGES[401] } }
      try {
        return route.handle({ ...request, params })
      } catch (error) {
        if (error instanceof ApiError) return { status: error.status, json: error.body }
        throw error
      }
    }
    return undefined
  }
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split('/')
  const actual = path.split('/')
  if (expected.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] as string
    if (!segment.startsWith(':')) {
      if (segment !== value) return undefined
      continue
    }
    if (value === '') return undefined
    try {
      params[segment.slice(1)] = decodeURIComponent(value)
    } catch {
      return undefined // malformed percent-encoding names nothing
    }
  }
  return params
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function writeAnswer(res: ServerResponse, answer: Answer): void {
  if ('json' in answer) writeJson(res, answer.status, answer.json)
  else if ('noContent' in answer) res.writeHead(answer.status).end()
  else res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers }).end(answer.text)
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': JSON_TYPE })
  res.end(JSON.stringify(body))
}

function sleep(ms: number): Promise<void> {
  // unref: a pending delay must not keep the process alive once the emulator is closed
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

// The parts of a multipart/form-data body, read as undici (Node's fetch) reads forms; undefined for other bodies
// and for a multipart body that cannot be read
async function readFormParts(raw: Buffer, contentType: string | undefined): Promise<FormPart[] | undefined> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return undefined
  let form: FormData
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData()
  } catch {
    return undefined
  }
  const parts: FormPart[] = []
  for (const [name, value] of form) {
    parts.push(
      typeof value === 'string'
        ? { name, value }
        : { name, fileName: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) }
    )
  }
  return parts
}
