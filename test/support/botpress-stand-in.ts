import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, type Conversation, type Message, type State, type User } from '@botpress/client'
import type { PlatformClient } from '../../src/botpress/client'
import { callOperation, type BotDriver, type BotEvent, type IntegrationDriver } from './botpress-protocol'

/*
 * A local stand-in for the parts of Botpress Cloud the integration and a bot meet, with the paths, bodies and error
 * shapes of @botpress/client 1.35.0:
 * - the Botpress API both reach at BP_API_URL: events, states, users, conversations, messages and actions. The
 *   integration authenticates with `token`, the bot with `botToken`; what they store is scoped by x-bot-id and, for an
 *   integration, x-integration-id, as the real API scopes it.
 * - Botpress Cloud's routing: `callAction({ type: '<alias>:<action>' })` from a bot becomes `action_triggered` on the
 *   integration installed under that alias, with its installed configuration; `createEvent` from an integration
 *   becomes `event_received` of type `<alias>:<event>` on the bot; a message an integration creates (a user talking on
 *   a channel) becomes `event_received` of type `message_created`. Deliveries to the bot are asynchronous, as in
 *   Cloud: the API answers first; `settled()` waits for the bot. States and events accept any conversation id
 *   without checking that such a conversation exists, because the driver-based tests use made-up ids.
 * - the public webhook URL: a request to /webhooks/<webhookId> is relayed to the integration as `webhook_received`,
 *   and the integration's answer is relayed back to the caller (Chatbase).
 * - switches for what Botpress Cloud may do that its API reference leaves out (../shared/reference/botpress-cloud.md):
 *   `behave()` sets rules (foreign conversation states refused, malformed ids refused, the state size limit, the
 *   bot's 60 s invocation, the network's delay before each answer), `injectFault()` makes one operation fail (with a
 *   Retry-After if asked), stall or lose its answer after acting.
 */

export type RecordedEvent = {
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  headers: http.IncomingHttpHeaders
}

export type RecordedApiRequest = {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  /** When the request arrived and when it was answered (performance.now()): which calls waited on which. */
  receivedAt: number
  answeredAt?: number
}

/** The API operations the stand-in serves, as @botpress/client names them. */
export type ApiOperation =
  | 'createEvent'
  | 'callAction'
  | 'getState'
  | 'setState'
  | 'patchState'
  | 'getOrSetState'
  | 'getOrCreateUser'
  | 'getOrCreateConversation'
  | 'createMessage'

/** What Botpress Cloud may do that a stand-in accepting anything would hide. The defaults accept anything. */
export type CloudRules = {
  /** `forbid`: a conversation state of a conversation the calling integration did not create answers 403 Forbidden. */
  foreignConversationStates: 'allow' | 'forbid'
  /** `botpress`: a conversation id not shaped like the stand-in's own (`conv_…`) answers 400 InvalidIdentifier. */
  conversationIds: 'any' | 'botpress'
  /** A state payload over this many bytes of UTF-8 JSON answers 413 PayloadTooLarge. */
  stateLimitBytes: number
  /** A bot's callAction that the integration has not answered within this answers 504 OperationTimeout. */
  invocationTimeoutMs: number
  /** Every API call is answered this long after it arrived, as Botpress Cloud answers across a network. */
  latencyMs: number
}

export const CLOUD_LIMITS = { stateLimitBytes: 131_072, invocationTimeoutMs: 60_000 } as const

const PERMISSIVE: CloudRules = {
  foreignConversationStates: 'allow',
  conversationIds: 'any',
  latencyMs: 0,
  ...CLOUD_LIMITS,
}

/** One operation misbehaving, for the next `times` calls (default 1). */
export type ApiFault = {
  operation: ApiOperation
  /** Only states of this type (conversation, integration, …). */
  stateType?: string
  /** Answer this status with an API error body, without acting. */
  status?: number
  /** With `status`, the Retry-After header of the answer, in seconds. */
  retryAfterSeconds?: number
  /** Wait this long first. The call is still carried out afterwards, even if the caller gave up, as a server does. */
  stallMs?: number
  /** Carry the call out, then drop the connection without answering. */
  loseAnswer?: boolean
  times?: number
}

/** An `event_received` sent to a bot and the bot's answer (status 0 when the bot could not be reached). */
export type BotDelivery = { event: BotEvent; status: number; body: string }

export interface BotpressStandIn {
  /** What the integration and the bot get as BP_API_URL. */
  readonly url: string
  /** The integration's BP_TOKEN. */
  readonly token: string
  /** The bot's BP_TOKEN. */
  readonly botToken: string
  readonly events: RecordedEvent[]
  readonly requests: RecordedApiRequest[]
  /** Every message created, incoming (from a channel integration) and outgoing (from the bot), in order. */
  readonly messages: Message[]
  readonly deliveries: BotDelivery[]
  /** Where Chatbase must send webhooks: what `register` receives as webhookUrl. */
  webhookUrl(webhookId: string): string
  /** Installs a served integration in its bot: its webhook id and its alias now route to it. */
  connect(driver: IntegrationDriver): void
  /** Routes events and messages of that bot id to a served bot. */
  connectBot(driver: BotDriver): void
  /** Changes some rules for the rest of the test (reset() restores the permissive defaults). */
  behave(rules: Partial<CloudRules>): void
  injectFault(fault: ApiFault): void
  /** Resolves once every delivery to a bot, including those started meanwhile, has been answered. */
  settled(): Promise<void>
  reset(): void
  close(): Promise<void>
}

/**
 * The client the SDK hands an integration's handlers, as its server builds it for one request: the installation's
 * ids, the token, and the request's trace headers.
 */
export const platformClient = (
  api: Pick<BotpressStandIn, 'url' | 'token'>,
  installation: { botId: string; integrationId: string; integrationAlias: string },
  headers: Record<string, string> = {}
): PlatformClient => ({
  _inner: new Client({
    apiUrl: api.url,
    token: api.token,
    botId: installation.botId,
    integrationId: installation.integrationId,
    integrationAlias: installation.integrationAlias,
    headers,
  }),
})

const STATE_TYPES = ['conversation', 'user', 'bot', 'integration', 'task', 'workflow'] as const
const BOTPRESS_CONVERSATION_ID = /^conv_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
type StateType = (typeof STATE_TYPES)[number]

type Caller = { botId: string; integration?: { id: string; alias: string } }
type Answer = { status: number; body: unknown; headers?: Record<string, string> }
type Call = { caller: Caller; params: string[]; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }
type Route = { method: string; path: RegExp; operation: ApiOperation; handle: (call: Call) => Answer | Promise<Answer> }

type StoredState = { state: State; expiresAt?: number }
type Scoped<T> = { botId: string; integration: string; value: T }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

/** The real API's error body: @botpress/client rebuilds its typed errors (ResourceNotFoundError, …) from it. */
const apiError = (status: number, type: string, message: string): Answer => ({
  status,
  body: { id: `err_${randomUUID()}`, code: status, type, message },
})

const ok = (body: unknown): Answer => ({ status: 200, body })

/** The error types the real API gives these statuses (@botpress/client rebuilds its typed errors from them). */
const ERROR_TYPES: Record<number, string> = {
  400: 'InvalidPayload',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  409: 'RelationConflict',
  413: 'PayloadTooLarge',
  429: 'RateLimited',
}

const LOST = Symbol('lost answer')

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isApiErrorBody = (value: unknown): boolean =>
  isObject(value) && typeof value.type === 'string' && typeof value.message === 'string' && 'id' in value

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const stringRecord = (value: unknown): value is Record<string, string> =>
  isObject(value) && Object.values(value).every((entry) => typeof entry === 'string')

/** getOrCreate* find an existing entity by its tags: all of them, or only those named in discriminateByTags. */
const sameTags = (existing: Record<string, string>, wanted: Record<string, string>, keys?: unknown): boolean =>
  (Array.isArray(keys) ? keys.map(String) : Object.keys(wanted)).every((key) => existing[key] === wanted[key])

export const startBotpressStandIn = async (
  token = 'standin-bot-token',
  botToken = 'standin-bot-own-token'
): Promise<BotpressStandIn> => {
  const events: RecordedEvent[] = []
  const requests: RecordedApiRequest[] = []
  const messages: Message[] = []
  const deliveries: BotDelivery[] = []
  const webhooks = new Map<string, IntegrationDriver>()
  const installations = new Map<string, IntegrationDriver>()
  const bots = new Map<string, BotDriver>()
  const states = new Map<string, StoredState>()
  const users: Scoped<User>[] = []
  const conversations: Scoped<Conversation>[] = []
  const inFlight = new Set<Promise<void>>()
  let faults: { fault: ApiFault; remaining: number }[] = []
  let rules: CloudRules = { ...PERMISSIVE }
  let generation = 0

  const installationKey = (botId: string, alias: string) => JSON.stringify([botId, alias])
  const now = () => new Date().toISOString()

  const newEvent = (
    fields: Pick<BotEvent, 'type' | 'payload' | 'conversationId' | 'userId' | 'messageId'>
  ): BotEvent => ({
    id: `evt_${randomUUID()}`,
    createdAt: now(),
    ...fields,
    status: 'pending',
    failureReason: null,
  })

  const deliver = (botId: string, event: BotEvent): void => {
    const bot = bots.get(botId)
    if (!bot) return
    const delivery = bot.eventReceived(event).then(
      (answer) => void deliveries.push({ event, status: answer.status, body: answer.body }),
      (error: Error) => void deliveries.push({ event, status: 0, body: error.message })
    )
    inFlight.add(delivery)
    void delivery.then(() => inFlight.delete(delivery))
  }

  const identify = (req: http.IncomingMessage): Caller | Answer => {
    const botId = req.headers['x-bot-id']
    if (typeof botId !== 'string' || botId === '') {
      return apiError(401, 'Unauthorized', 'The x-bot-id header is required')
    }
    if (req.headers.authorization === `Bearer ${botToken}`) {
      return { botId }
    }
    const integrationId = req.headers['x-integration-id']
    const alias = req.headers['x-integration-alias']
    if (
      req.headers.authorization === `Bearer ${token}` &&
      typeof integrationId === 'string' &&
      typeof alias === 'string'
    ) {
      return { botId, integration: { id: integrationId, alias } }
    }
    return apiError(401, 'Unauthorized', 'Invalid token')
  }

  // ---- events ----

  const createEvent = ({ caller, body, headers }: Call): Answer => {
    const { type, payload, conversationId, userId } = body
    if (typeof type !== 'string' || !isObject(payload)) {
      return apiError(400, 'InvalidPayload', 'type and payload are required')
    }
    const optional = {
      conversationId: typeof conversationId === 'string' ? conversationId : undefined,
      userId: typeof userId === 'string' ? userId : undefined,
    }
    events.push({ type, payload, ...optional, headers })
    const event = newEvent({ type, payload, ...optional })
    if (caller.integration) {
      // The bot knows an integration's events by the alias it installed the integration under: chatbase:leadSubmitted.
      deliver(caller.botId, { ...event, type: `${caller.integration.alias}:${type}` })
    }
    return ok({ event })
  }

  // ---- states ----

  const stateAddress = ({ caller, params }: Call) => {
    const [type, id, name] = params as [string, string, string]
    const key = JSON.stringify([caller.botId, caller.integration?.id ?? '', type, id, name])
    return { type, id, name, key, valid: (STATE_TYPES as readonly string[]).includes(type) }
  }

  const liveState = (key: string): State | undefined => {
    const stored = states.get(key)
    if (stored?.expiresAt !== undefined && stored.expiresAt <= Date.now()) {
      states.delete(key)
      return undefined
    }
    return stored?.state
  }

  const notFound = (type: string, id: string, name: string) =>
    apiError(404, 'ResourceNotFound', `No state "${name}" of type ${type} for id "${id}"`)

  const ownConversation = (caller: Caller, id: string): boolean =>
    conversations.some(
      (entry) =>
        entry.botId === caller.botId && entry.value.id === id && entry.integration === caller.integration?.alias
    )

  /** Why Botpress would refuse this state's address, under the current rules. */
  const refuseAddress = (call: Call): Answer | undefined => {
    const { type, id, valid } = stateAddress(call)
    if (!valid) return apiError(400, 'InvalidPayload', `type must be one of ${STATE_TYPES.join(', ')}, got "${type}"`)
    if (type !== 'conversation') return undefined
    if (rules.conversationIds === 'botpress' && !BOTPRESS_CONVERSATION_ID.test(id)) {
      return apiError(400, 'InvalidIdentifier', `"${id}" is not a valid conversation id`)
    }
    if (rules.foreignConversationStates === 'forbid' && call.caller.integration && !ownConversation(call.caller, id)) {
      return apiError(403, 'Forbidden', `The integration may not access states of conversation "${id}"`)
    }
    return undefined
  }

  const tooLarge = (payload: unknown): Answer | undefined => {
    const bytes = Buffer.byteLength(JSON.stringify(payload))
    return bytes > rules.stateLimitBytes
      ? apiError(413, 'PayloadTooLarge', `State payload is ${bytes} bytes; the limit is ${rules.stateLimitBytes}`)
      : undefined
  }

  const buildState = (call: Call, payload: Record<string, unknown>, previous: State | undefined): State => {
    const { type, id, name } = stateAddress(call)
    const time = now()
    return {
      id: previous?.id ?? `state_${randomUUID()}`,
      createdAt: previous?.createdAt ?? time,
      updatedAt: time,
      botId: call.caller.botId,
      ...(type === 'conversation' && { conversationId: id }),
      ...(type === 'user' && { userId: id }),
      name,
      type: type as StateType,
      payload,
    }
  }

  /** Writes a state; an expiry (ms) makes it disappear that long after this write. */
  const writeState = (call: Call, payload: Record<string, unknown>, expiry: unknown): State => {
    const { key } = stateAddress(call)
    const state = buildState(call, payload, liveState(key))
    states.set(key, { state, expiresAt: typeof expiry === 'number' ? Date.now() + expiry : undefined })
    return state
  }

  const getState = (call: Call): Answer => {
    const { type, id, name, key } = stateAddress(call)
    const refused = refuseAddress(call)
    if (refused) return refused
    const state = liveState(key)
    return state ? ok({ state, meta: { cached: false } }) : notFound(type, id, name)
  }

  const setState = (call: Call): Answer => {
    const { key } = stateAddress(call)
    const refused = refuseAddress(call)
    if (refused) return refused
    const { payload, expiry } = call.body
    if (payload === null) {
      // A null payload deletes the state: the sdk's state proxy deletes this way.
      const deleted = liveState(key)
      states.delete(key)
      return ok({ state: buildState(call, {}, deleted) })
    }
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object or null')
    return tooLarge(payload) ?? ok({ state: writeState(call, payload, expiry) })
  }

  const getOrSetState = (call: Call): Answer => {
    const { key } = stateAddress(call)
    const refused = refuseAddress(call)
    if (refused) return refused
    const existing = liveState(key)
    if (existing) return ok({ state: existing, meta: { cached: false } })
    const { payload, expiry } = call.body
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object')
    return tooLarge(payload) ?? ok({ state: writeState(call, payload, expiry), meta: { cached: false } })
  }

  const patchState = (call: Call): Answer => {
    const { type, id, name, key } = stateAddress(call)
    const refused = refuseAddress(call)
    if (refused) return refused
    const existing = liveState(key)
    if (!existing) return notFound(type, id, name)
    const { payload } = call.body
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object')
    const merged = { ...existing.payload, ...payload }
    const overLimit = tooLarge(merged)
    if (overLimit) return overLimit
    const expiresAt = states.get(key)?.expiresAt
    const state: State = { ...existing, updatedAt: now(), payload: merged }
    states.set(key, { state, expiresAt })
    return ok({ state })
  }

  // ---- users, conversations, messages ----

  /** Users and conversations belong to the channel integration that creates them (the sdk deprecates bots doing it). */
  const integrationOf = ({ caller }: Call): string | undefined => caller.integration?.alias

  const getOrCreateUser = (call: Call): Answer => {
    const integration = integrationOf(call)
    const { tags, name, discriminateByTags } = call.body
    if (!integration || !stringRecord(tags))
      return apiError(400, 'InvalidPayload', 'an integration creates users, with tags')
    const found = users.find(
      (entry) =>
        entry.botId === call.caller.botId &&
        entry.integration === integration &&
        sameTags(entry.value.tags, tags, discriminateByTags)
    )
    if (found) return ok({ user: found.value })
    const time = now()
    const user: User = {
      id: `user_${randomUUID()}`,
      createdAt: time,
      updatedAt: time,
      tags,
      ...(typeof name === 'string' && { name }),
    }
    users.push({ botId: call.caller.botId, integration, value: user })
    return ok({ user })
  }

  const getOrCreateConversation = (call: Call): Answer => {
    const integration = integrationOf(call)
    const { channel, tags, discriminateByTags } = call.body
    if (!integration || typeof channel !== 'string' || !stringRecord(tags)) {
      return apiError(400, 'InvalidPayload', 'an integration creates conversations, with a channel and tags')
    }
    const found = conversations.find(
      (entry) =>
        entry.botId === call.caller.botId &&
        entry.integration === integration &&
        entry.value.channel === channel &&
        sameTags(entry.value.tags, tags, discriminateByTags)
    )
    if (found) return ok({ conversation: found.value })
    const time = now()
    const conversation: Conversation = {
      id: `conv_${randomUUID()}`,
      createdAt: time,
      updatedAt: time,
      channel,
      integration,
      tags,
    }
    conversations.push({ botId: call.caller.botId, integration, value: conversation })
    return ok({ conversation })
  }

  const findConversation = (botId: string, id: unknown) =>
    conversations.find((entry) => entry.botId === botId && entry.value.id === id)?.value

  const createMessage = ({ caller, body }: Call): Answer => {
    const { type, payload, userId, conversationId, tags } = body
    if (typeof type !== 'string' || !isObject(payload) || typeof userId !== 'string' || !stringRecord(tags)) {
      return apiError(400, 'InvalidPayload', 'type, payload, userId, conversationId and tags are required')
    }
    const conversation = findConversation(caller.botId, conversationId)
    if (!conversation) return apiError(404, 'ResourceNotFound', `Conversation "${String(conversationId)}" not found`)
    // An integration speaks for a user of its channel; the bot answers as itself (userId: ctx.botId).
    const user = users.find((entry) => entry.botId === caller.botId && entry.value.id === userId)?.value
    if (caller.integration && !user) return apiError(404, 'ResourceNotFound', `User "${userId}" not found`)
    const time = now()
    const message: Message = {
      id: `msg_${randomUUID()}`,
      createdAt: time,
      updatedAt: time,
      type,
      payload,
      direction: caller.integration ? 'incoming' : 'outgoing',
      userId,
      conversationId: conversation.id,
      tags,
    }
    messages.push(message)
    if (caller.integration && user) {
      deliver(
        caller.botId,
        newEvent({
          type: 'message_created',
          payload: { message, user, conversation },
          conversationId: conversation.id,
          userId,
          messageId: message.id,
        })
      )
    }
    return ok({ message })
  }

  // ---- actions ----

  const callAction = async ({ caller, body }: Call): Promise<Answer> => {
    const { type, input } = body
    const separator = typeof type === 'string' ? type.indexOf(':') : -1
    if (typeof type !== 'string' || separator < 1 || !isObject(input)) {
      return apiError(400, 'InvalidPayload', 'type must be "<integration alias>:<action>" and input an object')
    }
    const alias = type.slice(0, separator)
    const integration = installations.get(installationKey(caller.botId, alias))
    if (!integration) {
      return apiError(404, 'ResourceNotFound', `No integration is installed as "${alias}" in bot "${caller.botId}"`)
    }
    const invocation = AbortSignal.timeout(rules.invocationTimeoutMs)
    const answer = await callOperation(
      integration.url,
      'action_triggered',
      integration.installation,
      { type: type.slice(separator + 1), input },
      invocation
    ).catch((error: Error) => error)
    if (answer instanceof Error) {
      return invocation.aborted
        ? apiError(
            504,
            'OperationTimeout',
            `The integration "${alias}" did not answer within ${rules.invocationTimeoutMs} ms`
          )
        : apiError(500, 'Internal', `The integration "${alias}" could not be reached: ${answer.message}`)
    }
    const parsed = parseJson(answer.body)
    if (answer.status === 200 && isObject(parsed)) {
      return ok({ output: parsed.output, meta: { cached: false } })
    }
    // The integration's RuntimeError is already an API error body: its message reaches the bot unchanged.
    return isApiErrorBody(parsed)
      ? { status: answer.status, body: parsed }
      : apiError(500, 'Internal', `The integration "${alias}" answered ${answer.status}: ${answer.body.slice(0, 200)}`)
  }

  const STATE = /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)$/
  const routes: Route[] = [
    { method: 'POST', path: /^\/v1\/chat\/events$/, operation: 'createEvent', handle: createEvent },
    { method: 'POST', path: /^\/v1\/chat\/actions$/, operation: 'callAction', handle: callAction },
    { method: 'GET', path: STATE, operation: 'getState', handle: getState },
    { method: 'POST', path: STATE, operation: 'setState', handle: setState },
    { method: 'PATCH', path: STATE, operation: 'patchState', handle: patchState },
    {
      method: 'POST',
      path: /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)\/get-or-set$/,
      operation: 'getOrSetState',
      handle: getOrSetState,
    },
    {
      method: 'POST',
      path: /^\/v1\/chat\/users\/get-or-create$/,
      operation: 'getOrCreateUser',
      handle: getOrCreateUser,
    },
    {
      method: 'POST',
      path: /^\/v1\/chat\/conversations\/get-or-create$/,
      operation: 'getOrCreateConversation',
      handle: getOrCreateConversation,
    },
    { method: 'POST', path: /^\/v1\/chat\/messages$/, operation: 'createMessage', handle: createMessage },
  ]

  const takeFault = (operation: ApiOperation, params: string[]): ApiFault | undefined => {
    const entry = faults.find(
      ({ fault }) => fault.operation === operation && (fault.stateType === undefined || fault.stateType === params[0])
    )
    if (!entry) return undefined
    entry.remaining -= 1
    if (entry.remaining === 0) faults = faults.filter((other) => other !== entry)
    return entry.fault
  }

  /** The answer to an API call, or LOST when the connection must be dropped without one. */
  const answerApi = async (req: http.IncomingMessage, path: string, rawBody: string): Promise<Answer | typeof LOST> => {
    const caller = identify(req)
    if ('status' in caller) return caller
    for (const route of routes) {
      const match = route.method === req.method ? route.path.exec(path) : null
      if (!match) continue
      const body = rawBody === '' ? {} : parseJson(rawBody)
      if (!isObject(body)) return apiError(400, 'InvalidPayload', 'The body must be a JSON object')
      const params = match.slice(1).map(decodeURIComponent)
      const fault = takeFault(route.operation, params)
      if (fault?.stallMs) {
        const before = generation
        // unref: a stall must not keep the process alive once the stand-in is closed.
        await sleep(fault.stallMs)
        // A call stalled across reset() belongs to a test that has ended: it must not act on the next one's data.
        if (generation !== before) return LOST
      }
      if (fault?.status) {
        const failure = apiError(fault.status, ERROR_TYPES[fault.status] ?? 'Internal', 'Injected failure')
        return fault.retryAfterSeconds === undefined
          ? failure
          : { ...failure, headers: { 'retry-after': String(fault.retryAfterSeconds) } }
      }
      const answer = await route.handle({ caller, params, body, headers: req.headers })
      return fault?.loseAnswer ? LOST : answer
    }
    return apiError(404, 'ResourceNotFound', `${req.method} ${path} is not served by the stand-in`)
  }

  const relayWebhook = async (webhookId: string, req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const driver = webhooks.get(webhookId)
    if (!driver) {
      return sendJson(res, 404, { message: 'No integration behind this webhook' })
    }
    const url = new URL(req.url ?? '/', 'http://stand-in')
    const answer = await driver.webhook({
      method: req.method ?? 'GET',
      path: url.pathname.slice(`/webhooks/${webhookId}`.length),
      query: url.search.slice(1),
      headers: req.headers,
      body,
    })
    res
      .writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' })
      .end(answer.body)
  }

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname
    const webhook = /^\/webhooks\/([^/]+)/.exec(path)
    if (webhook?.[1]) {
      return relayWebhook(webhook[1], req, body, res)
    }
    const request: RecordedApiRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      receivedAt: performance.now(),
    }
    requests.push(request)
    const latency = rules.latencyMs > 0 && sleep(rules.latencyMs)
    const answer = await answerApi(req, path, body)
    await latency
    request.answeredAt = performance.now()
    if (answer === LOST) {
      req.socket.destroy()
    } else if (!res.destroyed) {
      sendJson(res, answer.status, answer.body, answer.headers)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    token,
    botToken,
    events,
    requests,
    messages,
    deliveries,
    webhookUrl: (webhookId) => `${url}/webhooks/${webhookId}`,
    connect: (driver) => {
      webhooks.set(driver.installation.webhookId, driver)
      installations.set(installationKey(driver.installation.botId, driver.installation.integrationAlias), driver)
    },
    connectBot: (driver) => bots.set(driver.installation.botId, driver),
    behave: (changes) => {
      rules = { ...rules, ...changes }
    },
    injectFault: (fault) => {
      faults.push({ fault, remaining: fault.times ?? 1 })
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight)
    },
    reset: () => {
      events.length = 0
      requests.length = 0
      messages.length = 0
      deliveries.length = 0
      states.clear()
      users.length = 0
      conversations.length = 0
      faults = []
      rules = { ...PERMISSIVE }
      generation += 1
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
