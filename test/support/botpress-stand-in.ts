import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Conversation, Message, State, User } from '@botpress/client'
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
 */

export type RecordedEvent = {
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  headers: http.IncomingHttpHeaders
}

export type RecordedApiRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }

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
  /** The next `times` createEvent calls answer `status`. */
  failEvents(times: number, status: number): void
  /** Resolves once every delivery to a bot, including those started meanwhile, has been answered. */
  settled(): Promise<void>
  reset(): void
  close(): Promise<void>
}

const STATE_TYPES = ['conversation', 'user', 'bot', 'integration', 'task', 'workflow'] as const
type StateType = (typeof STATE_TYPES)[number]

type Caller = { botId: string; integration?: { id: string; alias: string } }
type Answer = { status: number; body: unknown }
type Call = { caller: Caller; params: string[]; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }
type Route = { method: string; path: RegExp; handle: (call: Call) => Answer | Promise<Answer> }

type StoredState = { state: State; expiresAt?: number }
type Scoped<T> = { botId: string; integration: string; value: T }

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** The real API's error body: @botpress/client only rebuilds its typed errors (ResourceNotFoundError, …) from this. */
const apiError = (status: number, type: string, message: string): Answer => ({
  status,
  body: { id: `err_${randomUUID()}`, code: status, type, message },
})

const ok = (body: unknown): Answer => ({ status: 200, body })

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
  let eventFailures: { times: number; status: number } | undefined

  const installationKey = (botId: string, alias: string) => JSON.stringify([botId, alias])
  const now = () => new Date().toISOString()

  const newEvent = (fields: Pick<BotEvent, 'type' | 'payload' | 'conversationId' | 'userId' | 'messageId'>): BotEvent => ({
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
    if (req.headers.authorization === `Bearer ${token}` && typeof integrationId === 'string' && typeof alias === 'string') {
      return { botId, integration: { id: integrationId, alias } }
    }
    return apiError(401, 'Unauthorized', 'Invalid token')
  }

  // ---- events ----

  const createEvent = ({ caller, body, headers }: Call): Answer => {
    if (eventFailures && eventFailures.times > 0) {
      eventFailures.times -= 1
      return apiError(eventFailures.status, 'Internal', 'Injected failure')
    }
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

  const invalidType = (type: string) =>
    apiError(400, 'InvalidPayload', `type must be one of ${STATE_TYPES.join(', ')}, got "${type}"`)

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
    const { type, id, name, key, valid } = stateAddress(call)
    if (!valid) return invalidType(type)
    const state = liveState(key)
    return state ? ok({ state, meta: { cached: false } }) : notFound(type, id, name)
  }

  const setState = (call: Call): Answer => {
    const { type, key, valid } = stateAddress(call)
    if (!valid) return invalidType(type)
    const { payload, expiry } = call.body
    if (payload === null) {
      // A null payload deletes the state: the sdk's state proxy deletes this way.
      const deleted = liveState(key)
      states.delete(key)
      return ok({ state: buildState(call, {}, deleted) })
    }
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object or null')
    return ok({ state: writeState(call, payload, expiry) })
  }

  const getOrSetState = (call: Call): Answer => {
    const { type, key, valid } = stateAddress(call)
    if (!valid) return invalidType(type)
    const existing = liveState(key)
    if (existing) return ok({ state: existing, meta: { cached: false } })
    const { payload, expiry } = call.body
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object')
    return ok({ state: writeState(call, payload, expiry), meta: { cached: false } })
  }

  const patchState = (call: Call): Answer => {
    const { type, id, name, key, valid } = stateAddress(call)
    if (!valid) return invalidType(type)
    const existing = liveState(key)
    if (!existing) return notFound(type, id, name)
    const { payload } = call.body
    if (!isObject(payload)) return apiError(400, 'InvalidPayload', 'payload must be an object')
    const expiresAt = states.get(key)?.expiresAt
    const state: State = { ...existing, updatedAt: now(), payload: { ...existing.payload, ...payload } }
    states.set(key, { state, expiresAt })
    return ok({ state })
  }

  // ---- users, conversations, messages ----

  /** Users and conversations belong to the channel integration that creates them (the sdk deprecates doing it as a bot). */
  const integrationOf = ({ caller }: Call): string | undefined => caller.integration?.alias

  const getOrCreateUser = (call: Call): Answer => {
    const integration = integrationOf(call)
    const { tags, name, discriminateByTags } = call.body
    if (!integration || !stringRecord(tags)) return apiError(400, 'InvalidPayload', 'an integration creates users, with tags')
    const found = users.find(
      (entry) => entry.botId === call.caller.botId && entry.integration === integration && sameTags(entry.value.tags, tags, discriminateByTags)
    )
    if (found) return ok({ user: found.value })
    const time = now()
    const user: User = { id: `user_${randomUUID()}`, createdAt: time, updatedAt: time, tags, ...(typeof name === 'string' && { name }) }
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
    const conversation: Conversation = { id: `conv_${randomUUID()}`, createdAt: time, updatedAt: time, channel, integration, tags }
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
    const answer = await callOperation(integration.url, 'action_triggered', integration.installation, {
      type: type.slice(separator + 1),
      input,
    }).catch((error: Error) => error)
    if (answer instanceof Error) {
      return apiError(500, 'Internal', `The integration "${alias}" could not be reached: ${answer.message}`)
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

  const routes: Route[] = [
    { method: 'POST', path: /^\/v1\/chat\/events$/, handle: createEvent },
    { method: 'POST', path: /^\/v1\/chat\/actions$/, handle: callAction },
    { method: 'GET', path: /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)$/, handle: getState },
    { method: 'POST', path: /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)$/, handle: setState },
    { method: 'PATCH', path: /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)$/, handle: patchState },
    { method: 'POST', path: /^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)\/get-or-set$/, handle: getOrSetState },
    { method: 'POST', path: /^\/v1\/chat\/users\/get-or-create$/, handle: getOrCreateUser },
    { method: 'POST', path: /^\/v1\/chat\/conversations\/get-or-create$/, handle: getOrCreateConversation },
    { method: 'POST', path: /^\/v1\/chat\/messages$/, handle: createMessage },
  ]

  const answerApi = async (req: http.IncomingMessage, path: string, rawBody: string): Promise<Answer> => {
    const caller = identify(req)
    if ('status' in caller) return caller
    for (const route of routes) {
      const match = route.method === req.method ? route.path.exec(path) : null
      if (!match) continue
      const body = rawBody === '' ? {} : parseJson(rawBody)
      if (!isObject(body)) return apiError(400, 'InvalidPayload', 'The body must be a JSON object')
      return route.handle({ caller, params: match.slice(1).map(decodeURIComponent), body, headers: req.headers })
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
    res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' }).end(answer.body)
  }

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname
    const webhook = /^\/webhooks\/([^/]+)/.exec(path)
    if (webhook?.[1]) {
      return relayWebhook(webhook[1], req, body, res)
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    const answer = await answerApi(req, path, body)
    sendJson(res, answer.status, answer.body)
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
    failEvents: (times, status) => {
      eventFailures = { times, status }
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
      eventFailures = undefined
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
