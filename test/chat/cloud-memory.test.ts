import { Client } from '@botpress/client'
import { beforeEach, describe, expect, it } from 'vitest'
import { botpressApi } from '../../src/botpress/client'
import { configurationSchema, MAX_MEMORY_CHARACTERS, MAX_MEMORY_MESSAGES } from '../../src/definitions/configuration'
import { TRANSCRIPT_STATE } from '../../src/definitions/constants'
import { CLOUD_LIMITS, platformClient } from '../support/botpress-stand-in'
import { ON_V1, useHarness, type Harness } from '../support/harness'

/*
 * Message Chatbot's memory against a Botpress that behaves as Cloud may: refusing the states of a conversation the
 * integration does not own, refusing ids it does not recognise, stalling, failing once, losing an answer after
 * acting, limiting a state to 128 KB. The card answers whatever Botpress does with the memory, or fails before
 * anything reaches Chatbase.
 */

type Message = { role: 'user' | 'assistant'; content: string }

const CONVERSATION = 'bp-conv-cloud'
const { memoryDays: DEFAULT_MEMORY_DAYS } = configurationSchema.parse({ apiKey: 'k', chatbotId: 'c' })
const DAY_MS = 24 * 60 * 60 * 1000
/** The deadline is counted from the action's start inside the integration; this allows for the trip there and back. */
const WITHIN_DEADLINE_SLACK_MS = 750

const say = (h: Harness, message: string, extra: Record<string, unknown> = {}) =>
  h.driver.callAction('messageChatbot', { message, conversationId: CONVERSATION, ...extra })

const sentToChatbase = (h: Harness): Message[][] =>
  h.chatbase.requests.filter((request) => request.path === '/chat').map((request) => JSON.parse(request.body).messages)

const stateWrites = (h: Harness) =>
  h.botpress.requests
    .filter((request) => request.method === 'POST' && request.path.endsWith(`/${TRANSCRIPT_STATE}`))
    .map((request) => ({
      bytes: Buffer.byteLength(JSON.stringify(JSON.parse(request.body).payload)),
      body: JSON.parse(request.body),
    }))

const logsAfter = (h: Harness, from: number) => h.integration.logs.slice(from).join('\n')

const replyEcho = (h: Harness) => h.chatbase.setChatReply(({ messages }) => `answer to ${messages.at(-1)?.content}`)

describe('when Botpress refuses the memory', () => {
  const h = useHarness(ON_V1)
  beforeEach(() => replyEcho(h))

  it.each([
    [
      'the states of a conversation the integration does not own (403)',
      { foreignConversationStates: 'forbid' },
      /403 Forbidden/,
    ],
    ['a conversation id it does not recognise (400)', { conversationIds: 'botpress' }, /400 InvalidIdentifier/],
  ] as const)(
    'answers without memory when Botpress refuses %s, says why, and gives the history to carry',
    async (_, rules, reason) => {
      h.botpress.behave(rules)
      const logs = h.integration.logs.length
      const first = await say(h, 'first')
      const second = await say(h, 'second', { history: first.output?.history })

      expect(first.output).toEqual({
        text: 'answer to first',
        answered: true,
        toolCalls: [],
        api: 'v1',
        conversationId: CONVERSATION,
        history: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'answer to first' },
        ],
      })
      expect(second.output?.history).toHaveLength(4)
      expect(sentToChatbase(h)).toEqual([
        [{ role: 'user', content: 'first' }],
        [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'answer to first' },
          { role: 'user', content: 'second' },
        ],
      ])
      await expect
        .poll(() => logsAfter(h, logs))
        .toMatch(new RegExp(`refused to keep the memory of conversation "${CONVERSATION}" \\(${reason.source}`))
      expect(stateWrites(h)).toEqual([])
    }
  )

  it('remembers a conversation Botpress recognises while refusing the others', async () => {
    h.botpress.behave({ conversationIds: 'botpress' })
    const conversationId = 'conv_0b8f4a34-2f4c-4a5e-9c1b-3d7e2a9f6c10'
    await say(h, 'first', { conversationId })
    const second = await say(h, 'second', { conversationId })

    expect(sentToChatbase(h).at(-1)).toHaveLength(3)
    expect(second.output?.history).toHaveLength(4)
  })
})

describe('when Botpress fails, stalls or loses an answer', () => {
  const h = useHarness({ ...ON_V1, timeoutSeconds: 2 })
  beforeEach(() => replyEcho(h))

  it('reads the memory again a second after a 500, and answers with it', async () => {
    await say(h, 'first')
    h.botpress.injectFault({ operation: 'getState', stateType: 'conversation', status: 500 })
    const second = await say(h, 'second')

    expect(second.status).toBe(200)
    expect(sentToChatbase(h).at(-1)).toHaveLength(3)
  })

  it('fails the card before anything reaches Chatbase when reading the memory fails, and answers once it works again', async () => {
    // Both tries the 2 s deadline allows: the first, and the one a second later.
    h.botpress.injectFault({ operation: 'getState', stateType: 'conversation', status: 500, times: 2 })
    const failed = await say(h, 'hello')
    const retried = await say(h, 'hello')

    expect(failed.error?.message).toMatch(
      new RegExp(
        `^Could not read the remembered conversation "${CONVERSATION}" from Botpress \\(500 Internal: Injected failure\\); nothing was sent to Chatbase`
      )
    )
    expect(retried.status).toBe(200)
    expect(sentToChatbase(h)).toEqual([[{ role: 'user', content: 'hello' }]])
  })

  it('ends the card within its deadline with a clear error when reading the memory stalls', async () => {
    h.botpress.injectFault({ operation: 'getState', stateType: 'conversation', stallMs: 5_000 })
    const started = Date.now()
    const result = await say(h, 'hello')

    expect(result.error?.message).toMatch(
      /^Could not read the remembered conversation .*\(Botpress did not answer within (1\.\d|2) s\); nothing was sent to Chatbase/
    )
    expect(Date.now() - started).toBeLessThan(2_000 + WITHIN_DEADLINE_SLACK_MS)
    expect(sentToChatbase(h)).toEqual([])
  })

  it.each([
    ['fails', { status: 500 }, /500 Internal: Injected failure/],
    ['stalls past the deadline', { stallMs: 5_000 }, /Botpress did not answer within/],
  ] as const)('returns the answer and logs why when saving the memory %s', async (_, fault, reason) => {
    await say(h, 'before')
    h.botpress.injectFault({ operation: 'setState', stateType: 'conversation', ...fault })
    const logs = h.integration.logs.length
    const started = Date.now()
    const result = await say(h, 'unsaved')

    expect(result.output).toMatchObject({ text: 'answer to unsaved', answered: true })
    expect(Date.now() - started).toBeLessThan(2_000 + WITHIN_DEADLINE_SLACK_MS)
    await expect
      .poll(() => logsAfter(h, logs))
      .toMatch(new RegExp(`Could not remember conversation "${CONVERSATION}" \\(${reason.source}`))
    expect(sentToChatbase(h)).toHaveLength(2)
  })

  it('remembers an exchange whose save was carried out although its answer was lost', async () => {
    await say(h, 'first')
    h.botpress.injectFault({ operation: 'setState', stateType: 'conversation', loseAnswer: true })
    await say(h, 'second')
    await say(h, 'third')

    expect(
      sentToChatbase(h)
        .at(-1)
        ?.map((message) => message.content)
    ).toEqual(['first', 'answer to first', 'second', 'answer to second', 'third'])
  })
})

describe('two messages of one conversation at once', () => {
  const h = useHarness(ON_V1, { instances: 2 })
  beforeEach(() => replyEcho(h))

  const contents = (messages: Message[] | undefined) => messages?.map((message) => message.content)

  it('keeps both exchanges when they reach the same instance', async () => {
    h.chatbase.injectFault({ path: '/chat', delayMs: 300 })
    const slow = say(h, 'slow')
    await expect.poll(() => h.chatbase.requests.length).toBe(1)
    await Promise.all([slow, say(h, 'fast')])
    const next = await say(h, 'next')

    expect(contents(next.output?.history)).toEqual([
      'slow',
      'answer to slow',
      'fast',
      'answer to fast',
      'next',
      'answer to next',
    ])
  })

  it('keeps both exchanges when they reach two instances', async () => {
    const [first, second] = h.instances.map((instance) => instance.driver) as [Harness['driver'], Harness['driver']]
    // Long enough for the other instance's whole turn, a cold start included, to end while this answer is held back.
    h.chatbase.injectFault({ path: '/chat', delayMs: 2_000 })
    const slow = first.callAction('messageChatbot', { message: 'slow', conversationId: CONVERSATION })
    await expect.poll(() => h.chatbase.requests.length).toBe(1)
    await second.callAction('messageChatbot', { message: 'fast', conversationId: CONVERSATION })
    await slow
    const next = await say(h, 'next')

    expect(contents(next.output?.history)).toEqual([
      'fast',
      'answer to fast',
      'slow',
      'answer to slow',
      'next',
      'answer to next',
    ])
  })
})

describe('the memory fits in a Botpress state', () => {
  const h = useHarness({ ...ON_V1, memoryMessages: MAX_MEMORY_MESSAGES, memoryCharacters: MAX_MEMORY_CHARACTERS })

  it(`never writes more than ${CLOUD_LIMITS.stateLimitBytes} bytes, in a script of 3 bytes a character, at the largest settings`, async () => {
    const cjk = (turn: number) => `第${turn}回`.padEnd(1_500, '会話記録')
    h.chatbase.setChatReply(({ messages }) => `答え${messages.length}`.padEnd(1_500, '返事'))
    for (let turn = 1; turn <= 40; turn++) {
      expect((await say(h, cjk(turn))).status).toBe(200)
    }
    const writes = stateWrites(h)

    expect(writes).toHaveLength(40)
    expect(Math.max(...writes.map((write) => write.bytes))).toBeLessThanOrEqual(CLOUD_LIMITS.stateLimitBytes)
    expect(Math.max(...writes.map((write) => write.bytes))).toBeGreaterThan(CLOUD_LIMITS.stateLimitBytes / 2)
    expect(h.integration.logs.join('\n')).not.toMatch(/Could not remember/)
  })

  it('keeps only what fits when one message alone is over the limit, and still answers', async () => {
    h.chatbase.setChatReply(() => 'noted')
    await say(h, 'small')
    const result = await say(h, '大'.repeat(45_000))

    expect(result.output?.text).toBe('noted')
    expect(result.output?.history).toEqual([{ role: 'assistant', content: 'noted' }])
    expect(stateWrites(h).map((write) => write.body.payload.messages.length)).toEqual([2, 1])
  })

  it(`writes the memory with an expiry of ${DEFAULT_MEMORY_DAYS} days, and of the configured days`, async () => {
    await say(h, 'hello')
    await h.driver.withConfiguration({ ...h.configuration, memoryDays: 3 }).callAction('messageChatbot', {
      message: 'again',
      conversationId: CONVERSATION,
    })

    expect(stateWrites(h).map((write) => write.body.expiry)).toEqual([DEFAULT_MEMORY_DAYS * DAY_MS, 3 * DAY_MS])
  })
})

describe("the bot's 60 s invocation", () => {
  const h = useHarness({ ...ON_V1, timeoutSeconds: 1 })
  const botClient = () =>
    new Client({ apiUrl: h.botpress.url, token: h.botpress.botToken, botId: h.driver.installation.botId })

  it('lets the card end with its own error inside the invocation, while a longer card is cut off by Botpress', async () => {
    h.botpress.behave({ invocationTimeoutMs: 2_000 })
    h.chatbase.injectFault({ path: '/chat', delayMs: 4_000, times: 2 })
    const withinInvocation = await botClient()
      .callAction({ type: 'chatbase:messageChatbot', input: { message: 'hi' } })
      .catch((error: Error) => error)
    h.botpress.connect(h.driver.withConfiguration({ ...h.configuration, timeoutSeconds: 3 }))
    const pastInvocation = await botClient()
      .callAction({ type: 'chatbase:messageChatbot', input: { message: 'hi' } })
      .catch((error: Error) => error)
    h.botpress.connect(h.driver)

    expect(withinInvocation).toMatchObject({
      type: 'Runtime',
      message: expect.stringContaining('Chatbase did not answer within 1 s (timeout)'),
    })
    expect(pastInvocation).toMatchObject({ type: 'OperationTimeout' })
  })
})

describe('a memory state of another shape', () => {
  const h = useHarness(ON_V1)
  beforeEach(() => replyEcho(h))

  it.each([
    [
      'messages that are not all messages',
      { messages: [{ role: 'user', content: 'kept' }, 42, { role: 'system' }] },
      1,
    ],
    ['no list of messages', { messages: 'none' }, 0],
    ['other fields only', { version: 2 }, 0],
  ])('is read for the messages it holds: %s', async (_, payload, held) => {
    await botpressApi(platformClient(h.botpress, h.driver.installation), 2_000).setState({
      type: 'conversation',
      id: CONVERSATION,
      name: TRANSCRIPT_STATE,
      payload: payload as never,
    })
    const result = await say(h, 'next')

    expect(result.status).toBe(200)
    const kept = [{ role: 'user', content: 'kept' }].slice(0, held)
    expect(sentToChatbase(h)).toEqual([[...kept, { role: 'user', content: 'next' }]])
  })
})
