// A local stand-in for the Chatbase REST API (https://www.chatbase.co/api/v1), faithful to the Chatbase docs, for the
// end-to-end tests and the playground. Plain node:http; endpoints live in one route table (see `routes`).
import { createHmac, randomUUID } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type CustomAttributeType = 'text' | 'number' | 'boolean' | 'date'
export type CustomAttributeValue = string | number | boolean | null

export type RecordedRequest = {
  method: string
  path: string // without the /api/v1 prefix, e.g. '/chat'
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: string // raw
}

export type Fault = {
  method?: string // match only this method (default any)
  path?: string | RegExp // match only this path (same form as RecordedRequest.path); default any
  status?: number // answer this status (500 when only body or headers are given) ...
  body?: string // ... with this raw body (default: a documented-style JSON {"message": ...} for the status)
  headers?: Record<string, string> // e.g. { 'content-type': 'text/html' } or { 'retry-after': '1' }
  delayMs?: number // wait this long before answering (with the fault, or, if it gives nothing else, the normal answer)
  resetConnection?: boolean // destroy the socket without answering
  times?: number // how many matching requests it applies to (default 1)
}

export type ChatMessage = { role: 'user' | 'assistant'; content: string }

export type ChatReply = (request: {
  messages: ChatMessage[]
  chatbotId: string
  conversationId?: string
  model?: string
  temperature?: number
}) => string

export type StripeAccount = { label: string; stripe_id?: string; stripe_email?: string }

export type StoredContact = {
  id: string
  external_id: string
  name: string | null
  email: string | null
  phonenumber: string | null
  stripe_accounts: StripeAccount[]
  custom_attributes: Record<string, CustomAttributeValue>
  created_at: number // unix seconds
  updated_at: number // unix seconds
}

export type StoredLead = {
  id: number
  created_at: string // ISO 8601
  chatbot_owner_user_id: string
  chatbot_id: string
  phone: string | null
  email: string | null
  name: string | null
}

export interface ChatbaseEmulator {
  readonly url: string // base URL including /api/v1, e.g. http://127.0.0.1:43123/api/v1
  readonly apiKey: string
  readonly requests: RecordedRequest[] // every request received, in order (also ones answered by a fault)
  addChatbot(chatbotId: string): void
  addCustomAttribute(chatbotId: string, attribute: { name: string; type: CustomAttributeType; archived?: boolean }): void
  addLead(
    chatbotId: string,
    lead: { name?: string | null; email?: string | null; phone?: string | null; createdAt?: string }
  ): StoredLead
  contacts(chatbotId: string): StoredContact[] // snake_case objects exactly as the API returns them
  savedConversation(conversationId: string): ChatMessage[] | undefined // the last /chat call's messages plus the reply
  setChatReply(reply: ChatReply): void
  injectFault(fault: Fault): void
  reset(): void // clears requests, faults, store contents and the chat reply; keeps the api key and chatbots
  close(): Promise<void>
}

const API_PREFIX = '/api/v1'
const DEFAULT_API_KEY = 'emulator-secret-key'
const DEFAULT_CHATBOT_IDS = ['emulator-chatbot']
// get-leads reports the chatbot owner's user id; the emulator has a single account
const OWNER_USER_ID = 'emulator-owner'
const MAX_USERS_PER_REQUEST = 1000
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

type Issue = { field: string; message: string }
type ErrorBody = { message: string; issues?: Issue[] }
type Json = Record<string, unknown>

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody
  ) {
    super(body.message)
  }
}

const notFound = (message: string) => new ApiError(404, { message })
const invalid = (message: string, issues: Issue[]) => new ApiError(400, { message, issues })

type Answer = { status: number; json: unknown } | { stream: string[] }
type Context = { params: Record<string, string>; query: Record<string, string>; body: string }
type Route = { method: string; path: string; handle: (context: Context) => Answer }

type AttributeDefinition = { type: CustomAttributeType; archived: boolean }
type ChatbotState = {
  attributes: Map<string, AttributeDefinition>
  contacts: Map<string, StoredContact> // by id, in creation order
  leads: StoredLead[]
}
// The writable contact fields as a request gives them (absent ones stay untouched)
type ContactFields = {
  name?: string
  email?: string
  phonenumber?: string
  stripe_accounts?: StripeAccount[]
  custom_attributes?: Record<string, CustomAttributeValue>
}

const defaultChatReply: ChatReply = ({ messages }) => {
  const lastUserMessage = [...messages].reverse().find((message) => message.role === 'user')
  return `Emulated reply to "${lastUserMessage?.content ?? ''}" (messages received: ${messages.length})`
}

class Emulator implements ChatbaseEmulator {
  url = '' // set by listen()
  readonly requests: RecordedRequest[] = []
  private readonly chatbots = new Map<string, ChatbotState>()
  private readonly conversations = new Map<string, ChatMessage[]>()
  private faults: { fault: Fault; remaining: number }[] = []
  private chatReply = defaultChatReply
  private nextLeadId = 1
  private readonly server = createServer((req, res) => {
    this.onRequest(req, res).catch((error: unknown) => {
      // a bug here or in a setChatReply callback: make it visible, and answer like a failing server
      console.error('chatbase-emulator:', error)
      if (res.headersSent) res.destroy()
      else writeJson(res, 500, { message: DOCUMENTED_MESSAGES[500] })
    })
  })

  // Route paths are relative to /api/v1; `:name` segments become params.
  private readonly routes: Route[] = [
    { method: 'POST', path: '/chat', handle: (context) => this.chat(context) },
    { method: 'GET', path: '/get-leads', handle: (context) => this.getLeads(context) },
    { method: 'POST', path: '/chatbots/:chatbotId/contacts', handle: (context) => this.createContacts(context) },
    { method: 'GET', path: '/chatbots/:chatbotId/contacts', handle: (context) => this.listContacts(context) },
    { method: 'GET', path: '/chatbots/:chatbotId/contacts/:contactId', handle: (context) => this.getContact(context) },
    { method: 'PATCH', path: '/chatbots/:chatbotId/contacts/:contactId', handle: (context) => this.updateContact(context) },
  ]

  constructor(
    readonly apiKey: string,
    chatbotIds: string[]
  ) {
    chatbotIds.forEach((chatbotId) => this.addChatbot(chatbotId))
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', resolve)
    })
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}${API_PREFIX}`
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()))
      // keep-alive sockets would otherwise hold close() open
      this.server.closeAllConnections()
    })
  }

  addChatbot(chatbotId: string): void {
    if (this.chatbots.has(chatbotId)) return
    this.chatbots.set(chatbotId, { attributes: new Map(), contacts: new Map(), leads: [] })
  }

  addCustomAttribute(
    chatbotId: string,
    { name, type, archived = false }: { name: string; type: CustomAttributeType; archived?: boolean }
  ): void {
    const { attributes } = this.configuredChatbot(chatbotId)
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new Error(`Custom attribute "${name}": use lower-case letters, digits and underscores, starting with a letter`)
    }
    const existing = attributes.get(name)
    if (existing && existing.type !== type) {
      throw new Error(`Custom attribute "${name}" is ${existing.type}; types never change`)
    }
    attributes.set(name, { type, archived })
  }

  addLead(
    chatbotId: string,
    lead: { name?: string | null; email?: string | null; phone?: string | null; createdAt?: string }
  ): StoredLead {
    const { leads } = this.configuredChatbot(chatbotId)
    const createdAt = lead.createdAt === undefined ? new Date() : new Date(lead.createdAt)
    if (Number.isNaN(createdAt.getTime())) throw new Error(`Lead createdAt "${lead.createdAt}" is not a date`)
    const stored: StoredLead = {
      id: this.nextLeadId++,
      created_at: createdAt.toISOString(),
      chatbot_owner_user_id: OWNER_USER_ID,
      chatbot_id: chatbotId,
      phone: lead.phone ?? null,
      email: lead.email ?? null,
      name: lead.name ?? null,
    }
    leads.push(stored)
    return { ...stored }
  }

  contacts(chatbotId: string): StoredContact[] {
    return structuredClone([...this.configuredChatbot(chatbotId).contacts.values()])
  }

  savedConversation(conversationId: string): ChatMessage[] | undefined {
    const saved = this.conversations.get(conversationId)
    return saved && structuredClone(saved)
  }

  setChatReply(reply: ChatReply): void {
    this.chatReply = reply
  }

  injectFault(fault: Fault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error(`Fault times must be a positive integer, got ${times}`)
    this.faults.push({ fault, remaining: times })
  }

  reset(): void {
    this.requests.length = 0 // in place, so references held by tests stay live
    this.faults = []
    this.conversations.clear()
    this.chatReply = defaultChatReply
    this.nextLeadId = 1
    for (const chatbot of this.chatbots.values()) {
      chatbot.attributes.clear()
      chatbot.contacts.clear()
      chatbot.leads.length = 0
    }
  }

  private configuredChatbot(chatbotId: string): ChatbotState {
    const chatbot = this.chatbots.get(chatbotId)
    if (!chatbot) throw new Error(`Unknown chatbot "${chatbotId}": add it with addChatbot first`)
    return chatbot
  }

  private chatbot(chatbotId: string): ChatbotState {
    const chatbot = this.chatbots.get(chatbotId)
    if (!chatbot) throw notFound('Chatbot not found')
    return chatbot
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator')
    const inApi = url.pathname.startsWith(`${API_PREFIX}/`)
    const path = inApi ? url.pathname.slice(API_PREFIX.length) : url.pathname
    const query = Object.fromEntries(url.searchParams)
    this.requests.push({ method, path, query, headers: { ...req.headers }, body })

    const fault = this.takeFault(method, path)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (req.socket.destroyed) return // the client gave up or the emulator closed while we waited
    if (fault?.resetConnection) {
      req.socket.destroy()
      return
    }
    if (fault && (fault.status !== undefined || fault.body !== undefined || fault.headers !== undefined)) {
      const status = fault.status ?? 500
      const message = DOCUMENTED_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error'
      res.writeHead(status, { 'content-type': JSON_TYPE, ...fault.headers })
      res.end(fault.body ?? JSON.stringify({ message }))
      return
    }

    const answer = inApi ? this.dispatch(method, path, req.headers.authorization, { query, body }) : undefined
    if (!answer) writeJson(res, 404, { message: 'Not found' })
    else if ('json' in answer) writeJson(res, answer.status, answer.json)
    else await writeStream(res, answer.stream)
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const entry = this.faults.find(({ fault }) => {
      const methodMatches = fault.method === undefined || fault.method.toUpperCase() === method
      const pathMatches =
        fault.path === undefined || (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path))
      return methodMatches && pathMatches
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
      if (authorization !== `Bearer ${this.apiKey}`) return { status: 401, json: { message: 'Unauthorized access' } }
      try {
        return route.handle({ ...request, params })
      } catch (error) {
        if (error instanceof ApiError) return { status: error.status, json: error.body }
        throw error
      }
    }
    return undefined
  }

  private chat({ body }: Context): Answer {
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    if (check(issues, 'messages', input.messages, 'array', true)) {
      const messages = input.messages as unknown[]
      if (messages.length === 0) issues.push({ field: 'messages', message: 'Array must contain at least 1 element(s)' })
      messages.forEach((message, index) => {
        const field = `messages.${index}`
        if (!check(issues, field, message, 'object', true)) return
        const { role, content } = message as Json
        if (role !== 'user' && role !== 'assistant') {
          issues.push({
            field: `${field}.role`,
            message:
              role === undefined
                ? 'Required'
                : `Invalid enum value. Expected 'user' | 'assistant', received '${String(role)}'`,
          })
        }
        check(issues, `${field}.content`, content, 'string', true)
      })
    }
    check(issues, 'chatbotId', input.chatbotId, 'string', true)
    check(issues, 'stream', input.stream, 'boolean')
    if (check(issues, 'temperature', input.temperature, 'number')) {
      checkRange(issues, 'temperature', input.temperature as number, 0, 1)
    }
    check(issues, 'model', input.model, 'string')
    check(issues, 'conversationId', input.conversationId, 'string')
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const chatbotId = input.chatbotId as string
    this.chatbot(chatbotId) // 404 for an unknown chatbot
    const messages = (input.messages as ChatMessage[]).map(({ role, content }) => ({ role, content }))
    const conversationId = input.conversationId as string | undefined
    const text = this.chatReply({
      messages: structuredClone(messages),
      chatbotId,
      conversationId,
      model: input.model as string | undefined,
      temperature: input.temperature as number | undefined,
    })
    // Chatbase keeps no memory: the latest call for a conversation id replaces what the dashboard shows
    if (conversationId !== undefined) {
      this.conversations.set(conversationId, [...messages, { role: 'assistant', content: text }])
    }

    if (input.stream !== true) return { status: 200, json: { text } }
    // "words will be sent back as data-only server-sent events", each word with the whitespace after it
    const words = text.split(/(?<=\s)/).filter((word) => word !== '')
    return { stream: [...words.map(serverSentEvent), serverSentEvent('[DONE]')] }
  }

  private getLeads({ query }: Context): Answer {
    const issues: Issue[] = []
    if (!query.chatbotId) issues.push({ field: 'chatbotId', message: 'Required' })
    for (const field of ['startDate', 'endDate'] as const) {
      const value = query[field]
      if (value !== undefined && !isCalendarDay(value)) {
        issues.push({ field, message: 'Invalid date, expected Year-Month-Day, e.g. 2023-07-10' })
      }
    }
    const page = integerParam(issues, query, 'page', 1, 1)
    const size = integerParam(issues, query, 'size', 10, 1)
    if (issues.length > 0) throw invalid('Invalid request parameters', issues)

    const { startDate, endDate } = query
    const matching = this.chatbot(query.chatbotId as string).leads.filter((lead) => {
      const day = lead.created_at.slice(0, 10) // the UTC day of the lead
      return (startDate === undefined || day >= startDate) && (endDate === undefined || day <= endDate)
    })
    // The docs give no order; newest first, like the dashboard
    matching.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
    return { status: 200, json: { data: matching.slice((page - 1) * size, page * size) } }
  }

  private createContacts({ params, body }: Context): Answer {
    const chatbot = this.chatbot(params.chatbotId as string)
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    const drafts: (ContactFields & { external_id: string })[] = []
    if (check(issues, 'users', input.users, 'array', true)) {
      const users = input.users as unknown[]
      if (users.length < 1) issues.push({ field: 'users', message: 'Array must contain at least 1 element(s)' })
      if (users.length > MAX_USERS_PER_REQUEST) {
        issues.push({ field: 'users', message: `Array must contain at most ${MAX_USERS_PER_REQUEST} element(s)` })
      }
      users.forEach((user, index) => {
        const prefix = `users.${index}`
        if (!check(issues, prefix, user, 'object', true)) return
        const fields = readContactFields(user as Json, `${prefix}.`, chatbot.attributes, issues)
        if (check(issues, `${prefix}.external_id`, (user as Json).external_id, 'string', true)) {
          drafts.push({ external_id: (user as Json).external_id as string, ...fields })
        }
      })
    }
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const emails = drafts.flatMap((draft) => (draft.email === undefined ? [] : [draft.email]))
    if (new Set(emails).size !== emails.length || emails.some((email) => emailOwner(chatbot, email))) {
      throw new ApiError(409, { message: 'Email already exists' })
    }
    const now = unixNow()
    const created = drafts.map(
      (draft): StoredContact => ({
        id: randomUUID(),
        external_id: draft.external_id,
        name: draft.name ?? null,
        email: draft.email ?? null,
        phonenumber: draft.phonenumber ?? null,
        stripe_accounts: draft.stripe_accounts ?? [],
        custom_attributes: draft.custom_attributes ?? {},
        created_at: now,
        updated_at: now,
      })
    )
    created.forEach((contact) => chatbot.contacts.set(contact.id, contact))
    return { status: 200, json: { message: 'Success', data: { created } } }
  }

  private listContacts({ params, query }: Context): Answer {
    const chatbot = this.chatbot(params.chatbotId as string)
    const issues: Issue[] = []
    const perPage = integerParam(issues, query, 'per_page', 100, 10, 1000)
    const page = integerParam(issues, query, 'page', 1, 1)
    if (issues.length > 0) throw invalid('Invalid request parameters', issues)

    const all = [...chatbot.contacts.values()]
    const totalPages = Math.ceil(all.length / perPage)
    // With no contacts at all, page 1 is an empty page rather than "out of range" (the docs are silent)
    if (all.length > 0 && page > totalPages) {
      throw invalid('Invalid request parameters', [{ field: 'page', message: 'Page number out of range' }])
    }
    return {
      status: 200,
      json: {
        message: 'Success',
        data: all.slice((page - 1) * perPage, page * perPage),
        total: all.length,
        pages: { page, per_page: perPage, total_pages: totalPages },
      },
    }
  }

  private getContact({ params }: Context): Answer {
    const contact = this.contact(params)
    return { status: 200, json: { message: 'Success', data: contact } }
  }

  private updateContact({ params, body }: Context): Answer {
    const chatbot = this.chatbot(params.chatbotId as string)
    const contact = this.contact(params)
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    // external_id is not among the documented update fields, so like any unknown field it is stripped
    const fields = check(issues, 'data', input.data, 'object', true)
      ? readContactFields(input.data as Json, 'data.', chatbot.attributes, issues)
      : {}
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const owner = fields.email === undefined ? undefined : emailOwner(chatbot, fields.email)
    if (owner && owner.id !== contact.id) throw new ApiError(409, { message: 'Email already exists' })
    const { custom_attributes: customAttributes, ...plainFields } = fields
    Object.assign(contact, plainFields, {
      custom_attributes: { ...contact.custom_attributes, ...customAttributes },
      updated_at: unixNow(),
    })
    return { status: 200, json: { message: 'Success', data: contact } }
  }

  private contact(params: Record<string, string>): StoredContact {
    const contact = this.chatbot(params.chatbotId as string).contacts.get(params.contactId as string)
    if (!contact) throw notFound('Contact not found')
    return contact
  }
}

export async function startChatbaseEmulator(
  options: { apiKey?: string; chatbotIds?: string[] } = {}
): Promise<ChatbaseEmulator> {
  const emulator = new Emulator(options.apiKey ?? DEFAULT_API_KEY, options.chatbotIds ?? DEFAULT_CHATBOT_IDS)
  await emulator.listen()
  return emulator
}

export function signWebhookBody(rawBody: string, secret: string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex')
}

export function leadWebhook(
  args: {
    chatbotId: string
    payload: { conversationId: string; customerEmail?: string; customerName?: string; customerPhone?: string }
  },
  secret: string
): { body: string; headers: Record<string, string> } {
  const { conversationId, customerEmail, customerName, customerPhone } = args.payload
  // Keys in the order of the docs' example delivery; absent values are left out of the JSON
  const body = JSON.stringify({
    eventType: 'leads.submit',
    chatbotId: args.chatbotId,
    payload: { conversationId, customerEmail, customerName, customerPhone },
  })
  return { body, headers: { 'content-type': 'application/json', 'x-chatbase-signature': signWebhookBody(body, secret) } }
}

export type LeadDelivery = Parameters<typeof leadWebhook>[0]

/** Delivers a signed leads.submit to `url` as Chatbase does: one POST of the raw body with its signature. */
export async function deliverLeadWebhook(url: string, lead: LeadDelivery, secret: string): Promise<Response> {
  const { body, headers } = leadWebhook(lead, secret)
  return fetch(url, { method: 'POST', headers, body })
}

// ---- request validation, zod-style messages as in the docs' examples ----

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array'

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

// True when `value` is present and of `kind`; otherwise records why (absence only matters when required).
function check(issues: Issue[], field: string, value: unknown, kind: Kind, required = false): boolean {
  if (value === undefined) {
    if (required) issues.push({ field, message: 'Required' })
    return false
  }
  if (kindOf(value) === kind) return true
  issues.push({ field, message: `Expected ${kind}, received ${kindOf(value)}` })
  return false
}

function checkRange(issues: Issue[], field: string, value: number, min: number, max?: number): void {
  if (value < min) issues.push({ field, message: `Number must be greater than or equal to ${min}` })
  else if (max !== undefined && value > max) issues.push({ field, message: `Number must be less than or equal to ${max}` })
}

function integerParam(
  issues: Issue[],
  query: Record<string, string>,
  field: string,
  fallback: number,
  min: number,
  max?: number
): number {
  const raw = query[field]
  if (raw === undefined) return fallback
  if (!/^-?\d+$/.test(raw)) {
    issues.push({ field, message: `Expected integer, received '${raw}'` })
    return fallback
  }
  const value = Number(raw)
  checkRange(issues, field, value, min, max)
  return value
}

function parseJsonObject(body: string): Json {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw invalid('Invalid request body', [{ field: 'body', message: 'Malformed JSON' }])
  }
  if (kindOf(parsed) !== 'object') {
    throw invalid('Invalid request body', [{ field: 'body', message: `Expected object, received ${kindOf(parsed)}` }])
  }
  return parsed as Json
}

// The documented contact fields of `input`; anything else is silently stripped, as the docs say.
// null is not accepted for the plain fields: the docs type them as strings (the docs are silent on null).
function readContactFields(
  input: Json,
  prefix: string,
  attributes: Map<string, AttributeDefinition>,
  issues: Issue[]
): ContactFields {
  const fields: ContactFields = {}
  for (const key of ['name', 'email', 'phonenumber'] as const) {
    if (check(issues, prefix + key, input[key], 'string')) fields[key] = input[key] as string
  }
  if (check(issues, `${prefix}stripe_accounts`, input.stripe_accounts, 'array')) {
    fields.stripe_accounts = readStripeAccounts(input.stripe_accounts as unknown[], `${prefix}stripe_accounts`, issues)
  }
  if (check(issues, `${prefix}custom_attributes`, input.custom_attributes, 'object')) {
    fields.custom_attributes = readCustomAttributes(input.custom_attributes as Json, attributes, issues)
  }
  return fields
}

// Each account needs a label and at least one of stripe_id / stripe_email.
function readStripeAccounts(accounts: unknown[], field: string, issues: Issue[]): StripeAccount[] {
  const valid: StripeAccount[] = []
  accounts.forEach((account, index) => {
    const at = `${field}.${index}`
    if (!check(issues, at, account, 'object', true)) return
    const { label, stripe_id: stripeId, stripe_email: stripeEmail } = account as Json
    const hasLabel = check(issues, `${at}.label`, label, 'string', true)
    const hasId = check(issues, `${at}.stripe_id`, stripeId, 'string')
    const hasEmail = check(issues, `${at}.stripe_email`, stripeEmail, 'string')
    if (stripeId === undefined && stripeEmail === undefined) {
      issues.push({ field: at, message: 'Either stripe_id or stripe_email is required' })
    }
    if (!hasLabel || !(hasId || hasEmail)) return
    const stored: StripeAccount = { label: label as string }
    if (hasId) stored.stripe_id = stripeId as string
    if (hasEmail) stored.stripe_email = stripeEmail as string
    valid.push(stored)
  })
  return valid
}

// Unknown names are stripped, archived ones rejected, values checked (and coerced) against the attribute's type.
// Issue fields are `custom_attributes.<name>`, as in the docs' example, also inside a batch of users.
function readCustomAttributes(
  input: Json,
  attributes: Map<string, AttributeDefinition>,
  issues: Issue[]
): Record<string, CustomAttributeValue> {
  const stored: Record<string, CustomAttributeValue> = {}
  for (const [name, value] of Object.entries(input)) {
    const attribute = attributes.get(name)
    if (!attribute) continue
    const field = `custom_attributes.${name}`
    // Archived attributes "can only be set to null"; null clears any other attribute too (the docs are silent)
    if (value === null) {
      stored[name] = null
      continue
    }
    if (attribute.archived) {
      issues.push({ field, message: `Custom attribute "${name}" is archived` })
      continue
    }
    const coerced = coerceAttribute(attribute.type, value)
    if ('error' in coerced) issues.push({ field, message: coerced.error })
    else stored[name] = coerced.value
  }
  return stored
}

function coerceAttribute(
  type: CustomAttributeType,
  value: unknown
): { value: CustomAttributeValue } | { error: string } {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? { value } : { error: `Expected string, received ${kindOf(value)}` }
    case 'number':
      return typeof value === 'number' ? { value } : { error: `Expected number, received ${kindOf(value)}` }
    case 'boolean':
      // Documented coercions: "true" / "false" and 1 / 0
      if (typeof value === 'boolean') return { value }
      if (value === 'true' || value === 1) return { value: true }
      if (value === 'false' || value === 0) return { value: false }
      return { error: `Expected boolean, received ${kindOf(value)}` }
    case 'date': {
      // Documented: whatever JavaScript's Date accepts (we take strings and numbers); stored as ISO 8601
      const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
      return date && !Number.isNaN(date.getTime()) ? { value: date.toISOString() } : { error: 'Invalid date' }
    }
  }
}

function emailOwner(chatbot: ChatbotState, email: string): StoredContact | undefined {
  return [...chatbot.contacts.values()].find((contact) => contact.email === email)
}

// A real day written YYYY-MM-DD (2023-7-10 and 2023-02-30 are rejected).
function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

// ---- HTTP plumbing ----

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

// SSE puts each line of a payload on its own `data:` line; clients join them back with '\n'.
function serverSentEvent(payload: string): string {
  return `${payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')}\n`
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': JSON_TYPE })
  res.end(JSON.stringify(body))
}

async function writeStream(res: ServerResponse, events: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  for (const event of events) {
    if (!res.socket || res.socket.destroyed) return // the client went away
    res.write(event)
    // yield so events leave as separate writes, as a real stream would deliver them
    await new Promise((resolve) => setImmediate(resolve))
  }
  res.end()
}

function sleep(ms: number): Promise<void> {
  // unref: a pending delay must not keep the process alive once the emulator is closed
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000)
}
