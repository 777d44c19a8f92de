import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, isApiError } from '@botpress/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BotDriver, IntegrationDriver, testInstallation } from './botpress-protocol'
import { startBotpressStandIn, type BotpressStandIn } from './botpress-stand-in'

/*
 * The stand-in driven with the official @botpress/client, as the integration's and the bot's code drive it, and with
 * real local servers in place of the served integration and bot, to see what Botpress Cloud's routing sends them.
 */

type Received = { headers: http.IncomingHttpHeaders; body: string }
type Recorder = {
  url: string
  received: Received[]
  answer: (received: Received) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown }
  close(): Promise<void>
}

const startRecorder = async (): Promise<Recorder> => {
  const recorder = { received: [] as Received[], answer: () => ({ status: 200, body: {} }) } as Omit<
    Recorder,
    'url' | 'close'
  >
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      recorder.received.push(received)
      const { status, body } = await recorder.answer(received)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(recorder, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

const thrownBy = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (thrown: unknown) => thrown
  )

const BOT_ID = 'bot_standin'
let botpress: BotpressStandIn
let integration: Recorder
let bot: Recorder
const installation = testInstallation({ apiKey: 'k', chatbotId: 'c' })

const integrationClient = (
  integrationId = installation.integrationId,
  alias = installation.integrationAlias,
  botId = BOT_ID
) => new Client({ apiUrl: botpress.url, token: botpress.token, botId, integrationId, integrationAlias: alias })
const botClient = (botId = BOT_ID) => new Client({ apiUrl: botpress.url, token: botpress.botToken, botId })

beforeAll(async () => {
  botpress = await startBotpressStandIn()
  integration = await startRecorder()
  bot = await startRecorder()
  botpress.connect(new IntegrationDriver(integration.url, installation))
  botpress.connectBot(new BotDriver(bot.url, { botId: BOT_ID, configuration: {} }))
})
beforeEach(() => {
  botpress.reset()
  integration.received.length = 0
  bot.received.length = 0
  integration.answer = () => ({ status: 200, body: {} })
  bot.answer = () => ({ status: 200, body: {} })
})
afterAll(async () => {
  await Promise.all([botpress.close(), integration.close(), bot.close()])
})

describe('states', () => {
  const address = { type: 'conversation', id: 'conv_1', name: 'chatbaseTranscript' } as const

  it('answers a missing state with the real 404 body, which the client turns into a ResourceNotFound error', async () => {
    const thrown = await thrownBy(integrationClient().getState(address))
    const raw = await fetch(`${botpress.url}/v1/chat/states/conversation/conv_1/chatbaseTranscript`, {
      headers: {
        authorization: `Bearer ${botpress.token}`,
        'x-bot-id': BOT_ID,
        'x-integration-id': 'i',
        'x-integration-alias': 'a',
      },
    })

    expect(isApiError(thrown) && thrown.type).toBe('ResourceNotFound')
    expect(isApiError(thrown) && thrown.code).toBe(404)
    expect(raw.status).toBe(404)
    expect(await raw.json()).toEqual({
      id: expect.stringMatching(/^err_/),
      code: 404,
      type: 'ResourceNotFound',
      message: expect.stringContaining('chatbaseTranscript'),
    })
  })

  it('stores what setState sends and getState reads it back, keeping the id and creation date across writes', async () => {
    const client = integrationClient()
    const first = await client.setState({ ...address, payload: { messages: [{ role: 'user', content: 'Hi' }] } })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await client.setState({ ...address, payload: { messages: [] } })
    const read = await client.getState(address)

    expect(read.state).toEqual({
      id: first.state.id,
      createdAt: first.state.createdAt,
      updatedAt: second.state.updatedAt,
      botId: BOT_ID,
      conversationId: 'conv_1',
      name: 'chatbaseTranscript',
      type: 'conversation',
      payload: { messages: [] },
    })
    expect(second.state.updatedAt > first.state.updatedAt).toBe(true)
    expect(read.meta).toEqual({ cached: false })
  })

  it('getOrSetState creates a missing state and returns an existing one unchanged', async () => {
    const client = botClient()
    const created = await client.getOrSetState({
      type: 'user',
      id: 'user_1',
      name: 'profile',
      payload: { plan: 'free' },
    })
    const existing = await client.getOrSetState({
      type: 'user',
      id: 'user_1',
      name: 'profile',
      payload: { plan: 'pro' },
    })

    expect(created.state).toMatchObject({ type: 'user', userId: 'user_1', payload: { plan: 'free' } })
    expect(existing.state).toEqual(created.state)
  })

  it('patchState merges the given keys into an existing state and refuses a missing one', async () => {
    const client = botClient()
    await client.setState({ type: 'bot', id: BOT_ID, name: 'settings', payload: { a: 1, b: { c: 2 } } })
    const patched = await client.patchState({ type: 'bot', id: BOT_ID, name: 'settings', payload: { b: { d: 3 } } })
    const missing = await thrownBy(client.patchState({ type: 'bot', id: BOT_ID, name: 'other', payload: { a: 1 } }))

    expect(patched.state.payload).toEqual({ a: 1, b: { d: 3 } })
    expect(isApiError(missing) && missing.type).toBe('ResourceNotFound')
  })

  it('deletes a state set to null', async () => {
    const client = integrationClient()
    await client.setState({ ...address, payload: { messages: [] } })
    await client.setState({ ...address, payload: null })

    expect(isApiError(await thrownBy(client.getState(address)))).toBe(true)
  })

  it('forgets a state once its expiry has passed since the last write', async () => {
    const client = botClient()
    await client.setState({ type: 'bot', id: BOT_ID, name: 'short', payload: { a: 1 }, expiry: 150 })
    const before = await client.getState({ type: 'bot', id: BOT_ID, name: 'short' })
    await new Promise((resolve) => setTimeout(resolve, 250))

    expect(before.state.payload).toEqual({ a: 1 })
    expect(isApiError(await thrownBy(client.getState({ type: 'bot', id: BOT_ID, name: 'short' })))).toBe(true)
  })

  it('keeps the bot, each integration and each bot apart, as the headers scope them', async () => {
    const same = { type: 'conversation', id: 'conv_1', name: 'shared' } as const
    await integrationClient().setState({ ...same, payload: { by: 'chatbase' } })
    await integrationClient('intver_other', 'other').setState({ ...same, payload: { by: 'other' } })
    await botClient().setState({ ...same, payload: { by: 'bot' } })

    expect((await integrationClient().getState(same)).state.payload).toEqual({ by: 'chatbase' })
    expect((await integrationClient('intver_other', 'other').getState(same)).state.payload).toEqual({ by: 'other' })
    expect((await botClient().getState(same)).state.payload).toEqual({ by: 'bot' })
    expect(isApiError(await thrownBy(botClient('bot_other').getState(same)))).toBe(true)
  })

  it('refuses an unknown state type and a wrong token', async () => {
    const badType = await fetch(`${botpress.url}/v1/chat/states/planet/p1/x`, {
      headers: { authorization: `Bearer ${botpress.botToken}`, 'x-bot-id': BOT_ID },
    })
    const badToken = await thrownBy(
      new Client({ apiUrl: botpress.url, token: 'nope', botId: BOT_ID }).getState(address)
    )

    expect(badType.status).toBe(400)
    expect(await badType.json()).toMatchObject({ type: 'InvalidPayload' })
    expect(isApiError(badToken) && badToken.type).toBe('Unauthorized')
  })
})

describe('callAction from a bot', () => {
  it('becomes action_triggered on the integration installed under the alias, with its configuration', async () => {
    integration.answer = ({ body }) => ({ status: 200, body: { output: { echoed: JSON.parse(body).input }, meta: {} } })
    const result = await botClient().callAction({ type: 'chatbase:messageChatbot', input: { message: 'Hi' } })

    expect(result).toEqual({ output: { echoed: { message: 'Hi' } }, meta: { cached: false } })
    expect(integration.received).toHaveLength(1)
    const [{ headers, body }] = integration.received as [Received]
    expect(JSON.parse(body)).toEqual({ type: 'messageChatbot', input: { message: 'Hi' } })
    expect(headers).toMatchObject({
      'x-bp-operation': 'action_triggered',
      'x-bot-id': BOT_ID,
      'x-bot-user-id': installation.botUserId,
      'x-integration-id': installation.integrationId,
      'x-integration-alias': 'chatbase',
      'x-webhook-id': installation.webhookId,
    })
    expect(JSON.parse(Buffer.from(String(headers['x-bp-configuration']), 'base64').toString('utf8'))).toEqual(
      installation.configuration
    )
  })

  it("passes the integration's RuntimeError to the bot with its message", async () => {
    integration.answer = () => ({
      status: 400,
      body: {
        id: 'err_1',
        code: 400,
        type: 'Runtime',
        message: 'Could not chat. Chatbase rejected the API key (401 Unauthorized).',
      },
    })
    const thrown = await thrownBy(botClient().callAction({ type: 'chatbase:messageChatbot', input: { message: 'Hi' } }))

    expect(isApiError(thrown) && thrown.type).toBe('Runtime')
    expect(thrown instanceof Error && thrown.message).toBe(
      'Could not chat. Chatbase rejected the API key (401 Unauthorized).'
    )
  })

  it('answers ResourceNotFound for an alias installed in no bot, without calling any integration', async () => {
    const thrown = await thrownBy(botClient().callAction({ type: 'notion:addComment', input: {} }))
    const otherBot = await thrownBy(botClient('bot_other').callAction({ type: 'chatbase:messageChatbot', input: {} }))

    expect(isApiError(thrown) && thrown.type).toBe('ResourceNotFound')
    expect(isApiError(otherBot) && otherBot.type).toBe('ResourceNotFound')
    expect(integration.received).toHaveLength(0)
  })
})

describe('events and messages reaching the bot', () => {
  const decode = (header: unknown) => JSON.parse(Buffer.from(String(header), 'base64').toString('utf8'))

  it("delivers an integration's createEvent as event_received <alias>:<type>, after the API has answered", async () => {
    let release = () => {}
    bot.answer = () => new Promise((resolve) => (release = () => resolve({ status: 200, body: {} })))
    const { event } = await integrationClient().createEvent({
      type: 'leadSubmitted',
      payload: { chatbotId: 'c' },
      conversationId: 'conv_1',
    })

    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(botpress.deliveries).toHaveLength(0)
    release()
    await botpress.settled()

    expect(event).toMatchObject({
      type: 'leadSubmitted',
      payload: { chatbotId: 'c' },
      conversationId: 'conv_1',
      status: 'pending',
    })
    expect(botpress.deliveries.map(({ status }) => status)).toEqual([200])
    const [{ headers, body }] = bot.received as [Received]
    expect(headers).toMatchObject({
      'x-bp-operation': 'event_received',
      'x-bp-type': 'chatbase:leadSubmitted',
      'x-bot-id': BOT_ID,
    })
    expect(decode(headers['x-bp-configuration'])).toEqual({})
    expect(JSON.parse(body).event).toEqual({
      id: event.id,
      createdAt: event.createdAt,
      type: 'chatbase:leadSubmitted',
      payload: { chatbotId: 'c' },
      conversationId: 'conv_1',
      status: 'pending',
      failureReason: null,
    })
  })

  it('hands a message a channel integration creates to the bot as message_created; the bot’s own messages go out', async () => {
    const channel = integrationClient('intver_chat', 'chat')
    const { user } = await channel.getOrCreateUser({ tags: { id: 'u1' } })
    const { conversation } = await channel.getOrCreateConversation({ channel: 'channel', tags: { id: 'c1' } })
    const { message } = await channel.createMessage({
      type: 'text',
      payload: { text: 'Hi' },
      userId: user.id,
      conversationId: conversation.id,
      tags: {},
    })
    await botpress.settled()
    const reply = await botClient().createMessage({
      type: 'text',
      payload: { text: 'Hello' },
      userId: BOT_ID,
      conversationId: conversation.id,
      tags: {},
    })
    await botpress.settled()

    expect(conversation).toMatchObject({ channel: 'channel', integration: 'chat', tags: { id: 'c1' } })
    expect(message).toMatchObject({ direction: 'incoming', userId: user.id, conversationId: conversation.id })
    expect(reply.message).toMatchObject({ direction: 'outgoing', payload: { text: 'Hello' } })
    expect(botpress.messages).toEqual([message, reply.message])
    expect(bot.received).toHaveLength(1)
    const [{ headers, body }] = bot.received as [Received]
    expect(headers['x-bp-type']).toBe('message_created')
    expect(JSON.parse(body).event).toMatchObject({
      type: 'message_created',
      payload: { message, user, conversation },
      conversationId: conversation.id,
      userId: user.id,
      messageId: message.id,
    })
  })

  it('finds users and conversations again by their tags, and refuses messages for unknown ones', async () => {
    const channel = integrationClient('intver_chat', 'chat')
    const first = await channel.getOrCreateUser({ tags: { id: 'u1', locale: 'en' } })
    const again = await channel.getOrCreateUser({ tags: { id: 'u1', locale: 'fr' }, discriminateByTags: ['id'] })
    const other = await channel.getOrCreateUser({ tags: { id: 'u2' } })
    const conversation = await channel.getOrCreateConversation({ channel: 'channel', tags: { id: 'c1' } })
    const sameConversation = await channel.getOrCreateConversation({ channel: 'channel', tags: { id: 'c1' } })
    const noConversation = await thrownBy(
      channel.createMessage({
        type: 'text',
        payload: { text: 'x' },
        userId: first.user.id,
        conversationId: 'conv_none',
        tags: {},
      })
    )
    const noUser = await thrownBy(
      channel.createMessage({
        type: 'text',
        payload: { text: 'x' },
        userId: 'user_none',
        conversationId: conversation.conversation.id,
        tags: {},
      })
    )

    expect(again.user.id).toBe(first.user.id)
    expect(other.user.id).not.toBe(first.user.id)
    expect(sameConversation.conversation.id).toBe(conversation.conversation.id)
    expect(isApiError(noConversation) && noConversation.type).toBe('ResourceNotFound')
    expect(isApiError(noUser) && noUser.type).toBe('ResourceNotFound')
    expect(botpress.messages).toHaveLength(0)
  })
})

describe('behaving as Botpress Cloud may', () => {
  const conversationState = (id: string) => ({ type: 'conversation', id, name: 'chatbaseTranscript' }) as const

  it('refuses conversation states of conversations the integration did not create (403), and keeps its own', async () => {
    botpress.behave({ foreignConversationStates: 'forbid' })
    const channel = integrationClient('intver_chat', 'chat')
    const { conversation } = await channel.getOrCreateConversation({ channel: 'channel', tags: { id: 'c1' } })
    const foreign = await thrownBy(integrationClient().getState(conversationState(conversation.id)))
    const own = await channel.setState({ ...conversationState(conversation.id), payload: { messages: [] } })
    const integrationState = await integrationClient().setState({
      type: 'integration',
      id: 'x',
      name: 'chatbaseDeliveries',
      payload: { deliveries: [] },
    })

    expect(isApiError(foreign) && [foreign.code, foreign.type]).toEqual([403, 'Forbidden'])
    expect(own.state.conversationId).toBe(conversation.id)
    expect(integrationState.state.type).toBe('integration')
  })

  it('refuses conversation ids not shaped like its own (400 InvalidIdentifier), and takes those that are', async () => {
    botpress.behave({ conversationIds: 'botpress' })
    const malformed = await thrownBy(integrationClient().getState(conversationState('widget-7f3a')))
    const wellFormed = await thrownBy(
      integrationClient().getState(conversationState('conv_0b8f4a34-2f4c-4a5e-9c1b-3d7e2a9f6c10'))
    )

    expect(isApiError(malformed) && [malformed.code, malformed.type]).toEqual([400, 'InvalidIdentifier'])
    expect(isApiError(wellFormed) && wellFormed.type).toBe('ResourceNotFound')
  })

  it('refuses a state payload over the limit (413), counting UTF-8 bytes of its JSON', async () => {
    botpress.behave({ stateLimitBytes: 100 })
    const payload = (content: string) => ({ messages: [{ role: 'user', content }] })
    // 'é' is 2 bytes in UTF-8: the content that makes the payload exactly 100 bytes.
    const exactly100 = 'é' + 'a'.repeat(100 - Buffer.byteLength(JSON.stringify(payload(''))) - 2)
    const over = await thrownBy(
      integrationClient().setState({ ...conversationState('c'), payload: payload(`${exactly100}a`) })
    )
    const atLimit = await integrationClient().setState({ ...conversationState('c'), payload: payload(exactly100) })

    expect(isApiError(over) && [over.code, over.type]).toEqual([413, 'PayloadTooLarge'])
    expect(Buffer.byteLength(JSON.stringify(atLimit.state.payload))).toBe(100)
  })

  it('fails an operation with an API error without acting, the given number of times', async () => {
    botpress.injectFault({ operation: 'createEvent', status: 500, times: 2 })
    const failures = [
      await thrownBy(integrationClient().createEvent({ type: 'leadSubmitted', payload: {} })),
      await thrownBy(integrationClient().createEvent({ type: 'leadSubmitted', payload: {} })),
    ]
    await integrationClient().createEvent({ type: 'leadSubmitted', payload: {} })

    expect(failures.map((failure) => isApiError(failure) && failure.type)).toEqual(['Internal', 'Internal'])
    expect(botpress.events).toHaveLength(1)
  })

  it('acts, then drops the connection without answering, when told to lose the answer', async () => {
    botpress.injectFault({ operation: 'createEvent', loseAnswer: true })
    const lost = await thrownBy(integrationClient().createEvent({ type: 'leadSubmitted', payload: {} }))

    expect(isApiError(lost) && lost.type).toBe('Unknown')
    expect(botpress.events).toHaveLength(1)
  })

  it('stalls an operation, then carries it out although the caller gave up, as a server does', async () => {
    botpress.injectFault({ operation: 'createEvent', stallMs: 300 })
    const gaveUp = await thrownBy(
      new Client({
        apiUrl: botpress.url,
        token: botpress.token,
        botId: BOT_ID,
        integrationId: 'i',
        integrationAlias: 'a',
        timeout: 50,
      }).createEvent({
        type: 'leadSubmitted',
        payload: {},
      })
    )

    expect(isApiError(gaveUp) && gaveUp.message).toBe('timeout of 50ms exceeded')
    expect(botpress.events).toHaveLength(0)
    await expect.poll(() => botpress.events.length).toBe(1)
  })

  it("cuts a bot's callAction off at the invocation timeout (504 OperationTimeout)", async () => {
    botpress.behave({ invocationTimeoutMs: 100 })
    integration.answer = () =>
      new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: { output: {} } }), 300))
    const cut = await thrownBy(botClient().callAction({ type: `${installation.integrationAlias}:getLeads`, input: {} }))

    expect(isApiError(cut) && [cut.code, cut.type]).toEqual([504, 'OperationTimeout'])
  })

  it('restores the permissive rules and drops the faults on reset', async () => {
    botpress.behave({ foreignConversationStates: 'forbid', stateLimitBytes: 10 })
    botpress.injectFault({ operation: 'getState', status: 500 })
    botpress.reset()

    await integrationClient().setState({ ...conversationState('c'), payload: { messages: [] } })
    expect((await integrationClient().getState(conversationState('c'))).state.payload).toEqual({ messages: [] })
  })
})
