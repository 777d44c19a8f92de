import { beforeEach, describe, expect, it } from 'vitest'
import type { StreamShape } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness, type Harness } from '../support/harness'

/* Message AI Agent on API v2: Chatbase keeps the conversation, the integration only finds which one to continue. */

const h = useHarness()

const v2Chats = (harness: Harness = h) =>
  harness.chatbase.requests
    .filter((request) => request.api === 'v2' && request.method === 'POST' && request.path.endsWith('/chat'))
    .map((request) => JSON.parse(request.body))

// Each test its own Botpress conversation: the served integration remembers links across tests.
let conversation = 0
beforeEach(() => {
  conversation += 1
})
const botpressConversation = () => `bp-conv-${conversation}`
const say = (message: string, extra: Record<string, unknown> = {}) =>
  h.driver.callAction('messageChatbot', { message, conversationId: botpressConversation(), ...extra })

describe('Message AI Agent on API v2', () => {
  it('continues one Chatbase conversation per Botpress conversation, one message per turn and no Botpress call', async () => {
    h.chatbase.setAgentReply(({ message, messages }) => `answer to ${message} (${messages.length} messages)`)
    const first = await say('first')
    const second = await say('second')

    expect(first.output).toMatchObject({ text: 'answer to first (1 messages)', answered: true, api: 'v2' })
    expect(second.output).toEqual({
      text: 'answer to second (3 messages)',
      answered: true,
      api: 'v2',
      toolCalls: [],
      conversationId: botpressConversation(),
      chatbaseConversationId: first.output?.chatbaseConversationId,
      messageId: expect.any(String),
    })
    expect(v2Chats()).toEqual([
      { message: 'first', userId: `botpress.${botpressConversation()}`, stream: false },
      { message: 'second', conversationId: first.output?.chatbaseConversationId, stream: false },
    ])
    // The turn on a warm instance is one request; nothing is stored in Botpress.
    expect(h.botpress.requests.filter((request) => request.path.includes('/states/'))).toEqual([])
    expect(h.chatbase.agentConversation(String(first.output?.chatbaseConversationId))?.userId).toBe(
      `botpress.${botpressConversation()}`
    )
  })

  it('starts a new conversation in place of a remembered one that Chatbase no longer has', async () => {
    const first = await say('one')
    h.chatbase.reset()
    const second = await say('two')

    expect(second.output).toMatchObject({ text: 'Emulated reply to "two"', answered: true })
    expect(second.output?.chatbaseConversationId).not.toBe(first.output?.chatbaseConversationId)
  })

  it("groups a person's conversations under the flow's User ID", async () => {
    const answer = await say('hi', { userId: 'user_42' })

    expect(v2Chats()[0]).toEqual({ message: 'hi', userId: 'user_42', stream: false })
    expect(h.chatbase.agentConversation(String(answer.output?.chatbaseConversationId))?.userId).toBe('user_42')
  })

  it('starts afresh, continues a conversation the flow names, and continues an ended one in a new one', async () => {
    const first = await say('one')
    const fresh = await say('two', { resetConversation: true })
    expect(fresh.output?.chatbaseConversationId).not.toBe(first.output?.chatbaseConversationId)

    const named = await h.driver.callAction('messageChatbot', {
      message: 'three',
      chatbaseConversationId: first.output?.chatbaseConversationId,
    })
    expect(named.output?.chatbaseConversationId).toBe(first.output?.chatbaseConversationId)

    h.chatbase.setConversationStatus(String(fresh.output?.chatbaseConversationId), 'ended')
    const after = await say('four')
    expect(after.output).toMatchObject({ answered: true, api: 'v2' })
    expect(after.output?.chatbaseConversationId).not.toBe(fresh.output?.chatbaseConversationId)
  })

  it.each([400, 409] as const)(
    'sends nothing around a human who took the conversation over (not-ongoing answered %s)',
    async (status) => {
      h.chatbase.setConversationNotOngoingStatus(status)
      const first = await say('help')
      h.chatbase.setConversationStatus(String(first.output?.chatbaseConversationId), 'taken_over')
      const answer = await say('anyone?')

      expect(answer.output).toMatchObject({
        text: '',
        answered: false,
        unansweredReason: 'taken-over',
        chatbaseConversationId: first.output?.chatbaseConversationId,
      })
      expect(v2Chats()).toHaveLength(2)
      expect(h.chatbase.agentConversation(String(first.output?.chatbaseConversationId))?.messages).toHaveLength(2)
    }
  )

  it('records the message of a paused conversation and says the agent did not reply', async () => {
    const first = await say('hello')
    const paused = await h.driver.callAction('pauseConversation', {
      chatbaseConversationId: first.output?.chatbaseConversationId,
    })
    expect(paused.output).toEqual({ chatbaseConversationId: first.output?.chatbaseConversationId, status: 'paused' })

    const answer = await say('still there?')
    expect(answer.output).toMatchObject({ text: '', answered: false, unansweredReason: 'paused' })

    const resumed = await h.driver.callAction('resumeConversation', {
      chatbaseConversationId: first.output?.chatbaseConversationId,
    })
    expect(resumed.output?.status).toBe('ongoing')
    expect((await say('back?')).output).toMatchObject({ answered: true })
  })

  it('hands a client action to the flow and gives the continued answer once its result is submitted', async () => {
    h.chatbase.setAgentReply(({ message, messages }) =>
      message === undefined
        ? `Your order ${JSON.stringify(messages.at(-1)?.parts.at(-1))}`
        : { text: 'Let me check.', toolCalls: [{ toolName: 'lookupOrder', input: { orderId: 42 } }] }
    )
    const asked = await say('where is my order?')
    expect(asked.output).toMatchObject({
      text: 'Let me check.',
      answered: false,
      unansweredReason: 'tool-calls',
      toolCalls: [{ toolCallId: expect.any(String), toolName: 'lookupOrder', input: { orderId: 42 } }],
    })

    const call = (asked.output?.toolCalls as { toolCallId: string }[])[0]!
    const continued = await h.driver.callAction('submitToolResult', {
      chatbaseConversationId: asked.output?.chatbaseConversationId,
      toolCallId: call.toolCallId,
      output: { status: 'shipped' },
    })
    expect(continued.output).toMatchObject({ answered: true, api: 'v2', toolCalls: [] })
    expect(continued.output?.text).toContain('shipped')

    const again = await h.driver.callAction('submitToolResult', {
      chatbaseConversationId: asked.output?.chatbaseConversationId,
      toolCallId: 'call_unknown',
      output: 'x',
    })
    expect(again.error?.message).toContain('(404)')
  })

  it('rates an answer, and clears the rating', async () => {
    const answer = await say('rate me')
    const ids = { chatbaseConversationId: answer.output?.chatbaseConversationId, messageId: answer.output?.messageId }
    const rated = await h.driver.callAction('rateAnswer', { ...ids, rating: 'negative' })

    expect(rated.output).toEqual({ messageId: ids.messageId, rating: 'negative' })
    const stored = () =>
      h.chatbase
        .agentConversation(String(ids.chatbaseConversationId))
        ?.messages.find((message) => message.id === ids.messageId)
    expect(stored()?.feedback).toBe('negative')
    await h.driver.callAction('rateAnswer', { ...ids, rating: 'none' })
    expect(stored()?.feedback).toBeNull()
  })

  it.each<[string, Partial<StreamShape>]>([
    ['the start event and finish.messageMetadata', { alwaysSse: true }],
    [
      'message-start and a message-metadata event',
      { alwaysSse: true, startEvent: 'message-start', metadata: 'message-metadata' },
    ],
    ['finish.metadata', { alwaysSse: true, metadata: 'finish.metadata' }],
  ])('reads a streamed answer sent despite stream: false, with %s', async (_, shape) => {
    h.chatbase.setStreamShape(shape)
    h.chatbase.setAgentReply(() => 'streamed hello')
    const first = await say('hi')
    const second = await say('hi again')

    expect(first.output).toMatchObject({ text: 'streamed hello', answered: true, messageId: expect.any(String) })
    expect(second.output?.chatbaseConversationId).toBe(first.output?.chatbaseConversationId)
  })

  it('says the credits ran out', async () => {
    h.chatbase.setChatCreditsExhausted(true)
    const answer = await say('hi')

    expect(answer.error?.message).toContain("The workspace's message credits ran out")
  })

  it('refuses a bad User ID, and v1-only inputs with a v2 conversation, before any request', async () => {
    const badUser = await say('hi', { userId: 'has spaces' })
    const v1Only = await say('hi', { chatbaseConversationId: 'c-1', model: 'gpt-4o-mini' })

    expect(badUser.error?.message).toContain('userId: must hold only letters, digits')
    expect(v1Only.error?.message).toContain('model: only Chatbase API v1 takes it')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('Message AI Agent on two instances that share nothing', () => {
  const two = useHarness({}, { instances: 2 })

  it('finds the conversation through Chatbase on an instance that never saw it, and keeps conversations apart', async () => {
    const [one, other] = two.instances as [(typeof two.instances)[0], (typeof two.instances)[0]]
    const started = await one.driver.callAction('messageChatbot', { message: 'hi', conversationId: 'bp-a' })
    await one.driver.callAction('messageChatbot', { message: 'hello', conversationId: 'bp-b' })
    const elsewhere = await other.driver.callAction('messageChatbot', { message: 'again', conversationId: 'bp-a' })

    expect(elsewhere.output?.chatbaseConversationId).toBe(started.output?.chatbaseConversationId)
    // The other instance asked Chatbase once which conversation is the user's latest.
    const lookups = two.chatbase.requests.filter((request) => request.path.includes('/users/'))
    expect(lookups.map((request) => request.path)).toEqual([
      `/agents/${CHATBOT_ID}/users/botpress.bp-a/conversations`,
      `/agents/${CHATBOT_ID}/users/botpress.bp-b/conversations`,
      `/agents/${CHATBOT_ID}/users/botpress.bp-a/conversations`,
    ])
  })
})

describe('Message AI Agent on a plan without API v2', () => {
  it('keeps the memory in Botpress and speaks v1, as before, and says so', async () => {
    h.chatbase.setPlanAccess('no-api')
    h.chatbase.setChatReply(({ messages }) => `v1 answer after ${messages.length} messages`)
    await h.driver.callAction('messageChatbot', { message: 'one', conversationId: 'bp-v1' })
    const second = await h.driver.callAction('messageChatbot', { message: 'two', conversationId: 'bp-v1' })

    expect(second.output).toMatchObject({ text: 'v1 answer after 3 messages', answered: true, api: 'v1' })
    expect(second.output?.history).toHaveLength(4)
    const chats = h.chatbase.requests.filter((request) => request.api === 'v1' && request.path === '/chat')
    expect(chats.map((request) => JSON.parse(request.body).chatbotId)).toEqual([CHATBOT_ID, CHATBOT_ID])
  })

  it.each(['submitToolResult', 'rateAnswer', 'pauseConversation', 'resumeConversation'])(
    '%s fails naming the plan it needs',
    async (action) => {
      h.chatbase.setPlanAccess('no-api')
      const answer = await h.driver.callAction(action, inputOf(action))

      expect(answer.error?.message).toContain(
        'needs Chatbase API v2, which comes with the Chatbase Standard plan or higher'
      )
    }
  )
})

function inputOf(action: string): Record<string, unknown> {
  switch (action) {
    case 'submitToolResult':
      return { chatbaseConversationId: 'c-1', toolCallId: 't-1', output: 1 }
    case 'rateAnswer':
      return { chatbaseConversationId: 'c-1', messageId: 'm-1', rating: 'positive' }
    default:
      return { chatbaseConversationId: 'c-1' }
  }
}
