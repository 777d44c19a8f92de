// POST chat and tool-result: JSON and streamed answers, the stream's shapes, client actions, conversation statuses,
// credits. Every answer, streams included, is checked against the spec by the emulator (see self-test.ts).
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator, type Body } from '../self-test'

let emulator: ChatbaseEmulator
const { v2, takeViolations } = useEmulator((started) => (emulator = started))

const CHAT = `/agents/${CHATBOT}/chat`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const chat = (body: Record<string, unknown>) => v2('POST', CHAT, { body })
const streamedText = (events: Body[]) =>
  events
    .filter((event) => event.type === 'text-delta')
    .map((event) => event.delta)
    .join('')

describe('POST chat as JSON', () => {
  it('starts a conversation with a server-made UUID, keeping the userId, and answers { data: ChatResponse }', async () => {
    const reply = await chat({ message: 'Hello', stream: false, userId: 'user_1' })
    expect(reply.status).toBe(200)
    const { data } = reply.json
    expect(data).toEqual({
      id: expect.stringMatching(/^msg_/),
      role: 'assistant',
      parts: [{ type: 'text', text: 'Emulated reply to "Hello"' }],
      metadata: {
        userMessageId: expect.stringMatching(/^msg_/),
        conversationId: expect.stringMatching(UUID),
        userId: 'user_1',
        finishReason: 'stop',
        usage: { credits: 1 },
      },
    })
    const stored = emulator.agentConversation(data.metadata.conversationId)
    expect(stored).toMatchObject({ source: 'API', userId: 'user_1', status: 'ongoing', agentId: CHATBOT })
    expect(stored?.messages.map((message) => message.role)).toEqual(['user', 'assistant'])
    expect(stored?.createdAt).toBeCloseTo(Date.now() / 1000, -1)
  })

  it('continues a conversation, keeping the userId it was created with', async () => {
    const first = (await chat({ message: 'One', stream: false })).json.data.metadata
    const seen: unknown[] = []
    emulator.setAgentReply((request) => {
      seen.push(request)
      return 'Second answer'
    })
    const second = await chat({ message: 'Two', stream: false, conversationId: first.conversationId, userId: 'late' })
    expect(second.json.data.metadata).toMatchObject({ conversationId: first.conversationId, userId: null })
    expect(seen).toEqual([
      {
        agentId: CHATBOT,
        conversationId: first.conversationId,
        message: 'Two',
        messages: [
          expect.objectContaining({ role: 'user', parts: [{ type: 'text', text: 'One' }] }),
          expect.objectContaining({ role: 'assistant' }),
          expect.objectContaining({ role: 'user', parts: [{ type: 'text', text: 'Two' }] }),
        ],
      },
    ])
    expect(emulator.agentConversation(first.conversationId)?.messages).toHaveLength(4)
  })

  it('refuses a conversation of another agent or none, and a first message without text', async () => {
    const unknown = await chat({ message: 'Hi', conversationId: 'no-such-conversation', stream: false })
    expect(unknown).toMatchObject({ status: 400, json: { error: { code: 'CHAT_CONVERSATION_MISMATCH' } } })
    const empty = await chat({ stream: false })
    expect(empty).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
    expect(empty.json.error.details).toHaveProperty('message')
    expect((await v2('POST', '/agents/nope/chat', { body: { message: 'Hi' } })).status).toBe(404)
  })

  it('refuses a message that breaks the schema, e.g. an empty one or a bad userId', async () => {
    const reply = await chat({ message: '', userId: 'not allowed!' })
    expect(reply.json.error.details).toEqual({
      message: 'must NOT have fewer than 1 characters',
      userId: 'must match pattern "^[a-zA-Z0-9._-]+$"',
    })
    expect(takeViolations()).toHaveLength(1)
  })
})

describe('POST chat streamed', () => {
  it('streams by default: start, text deltas, finish with messageMetadata, then [DONE]', async () => {
    const reply = await chat({ message: 'Stream this please' })
    expect(reply.headers.get('content-type')).toBe('text/event-stream')
    expect(reply.text.endsWith('data: [DONE]\n\n')).toBe(true)
    expect(reply.text).toMatch(/^data: \{.*\}\n\ndata: /)
    const types = reply.events.map((event) => event.type)
    expect(types[0]).toBe('start')
    expect(types).toEqual(expect.arrayContaining(['start-step', 'text-start', 'text-delta', 'text-end', 'finish-step']))
    expect(streamedText(reply.events)).toBe('Emulated reply to "Stream this please"')
    const finish = reply.events.at(-1)
    expect(finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      messageMetadata: {
        messageId: reply.events[0].messageId,
        userMessageId: expect.any(String),
        conversationId: expect.stringMatching(UUID),
        userId: null,
        finishReason: 'stop',
        usage: { credits: 1 },
      },
    })
  })

  it('names the start event message-start, and moves the metadata, when switched', async () => {
    emulator.setStreamShape({ startEvent: 'message-start', metadata: 'message-metadata' })
    const separate = (await chat({ message: 'Hi' })).events
    expect(separate[0].type).toBe('message-start')
    expect(separate.at(-2)).toMatchObject({ type: 'message-metadata', messageMetadata: { usage: { credits: 1 } } })
    expect(separate.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' })

    emulator.setStreamShape({ metadata: 'finish.metadata' })
    const nested = (await chat({ message: 'Hi' })).events
    expect(nested.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', metadata: { usage: { credits: 1 } } })
  })

  it('streams even when stream: false was sent, when switched', async () => {
    emulator.setStreamShape({ alwaysSse: true })
    const reply = await chat({ message: 'Hi', stream: false })
    expect(reply.headers.get('content-type')).toBe('text/event-stream')
    emulator.reset()
    expect((await chat({ message: 'Hi', stream: false })).json.data.role).toBe('assistant')
  })

  it('breaks a reply off with an error event mid-stream (finishReason error)', async () => {
    emulator.setAgentReply(() => ({ text: 'Partial answer', errorText: 'The model failed' }))
    const events = (await chat({ message: 'Hi' })).events
    const types = events.map((event) => event.type)
    expect(types.indexOf('error')).toBeGreaterThan(types.indexOf('text-end'))
    expect(events.find((event) => event.type === 'error')).toEqual({ type: 'error', errorText: 'The model failed' })
    expect(events.at(-1)).toMatchObject({ finishReason: 'error' })
    const json = (await chat({ message: 'Hi', stream: false })).json.data
    expect(json).toMatchObject({
      parts: [{ type: 'text', text: 'Partial answer' }],
      metadata: { finishReason: 'error' },
    })
  })
})

describe('client actions', () => {
  const lookup = { toolName: 'lookupOrder', input: { orderId: '42' } }

  it('calls a tool, takes its result, then continues on a POST chat without message', async () => {
    emulator.setAgentReply(({ message, messages }) =>
      message === undefined
        ? `Your order: ${JSON.stringify(messages.at(-1)?.parts.at(-1))}`
        : { text: 'Let me check.', toolCalls: [lookup] }
    )
    const first = (await chat({ message: 'Where is my order?', stream: false })).json.data
    expect(first.metadata.finishReason).toBe('tool-calls')
    const call = first.parts[1]
    expect(call).toEqual({ type: 'tool-call', toolCallId: expect.stringMatching(/^call_/), ...lookup })
    const { conversationId } = first.metadata
    const results = `/agents/${CHATBOT}/conversations/${conversationId}/tool-result`

    const early = await chat({ conversationId, stream: false })
    expect(early).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })

    const submitted = await v2('POST', results, {
      body: { toolCallId: call.toolCallId, output: { status: 'shipped' } },
    })
    expect(submitted).toMatchObject({ status: 200, json: { data: { success: true } } })
    const again = await v2('POST', results, { body: { toolCallId: call.toolCallId, output: {} } })
    expect(again).toMatchObject({ status: 404, json: { error: { code: 'RESOURCE_TOOL_CALL_NOT_FOUND' } } })

    const continued = (await chat({ conversationId, stream: false })).json.data
    expect(continued.metadata).toMatchObject({ finishReason: 'stop', userMessageId: first.metadata.userMessageId })
    expect(continued.parts[0].text).toContain('"output":{"status":"shipped"}')
    const twice = await chat({ conversationId, stream: false })
    expect(twice.status).toBe(400) // nothing left to continue
  })

  it('streams tool calls as tool-input events', async () => {
    emulator.setAgentReply(() => ({ toolCalls: [lookup] }))
    const events = (await chat({ message: 'Order?' })).events
    const start = events.find((event) => event.type === 'tool-input-start')
    expect(start).toEqual({ type: 'tool-input-start', toolCallId: expect.any(String), toolName: 'lookupOrder' })
    expect(events.find((event) => event.type === 'tool-input-delta')?.inputTextDelta).toBe('{"orderId":"42"}')
    expect(events.find((event) => event.type === 'tool-input-available')).toEqual({
      type: 'tool-input-available',
      toolCallId: start.toolCallId,
      ...lookup,
    })
    expect(events.some((event) => event.type === 'text-start')).toBe(false)
    expect(events.at(-1)).toMatchObject({ finishReason: 'tool-calls' })
  })

  it('answers 404 RESOURCE_TOOL_CALL_NOT_FOUND when nothing is pending', async () => {
    const { conversationId } = (await chat({ message: 'Hi', stream: false })).json.data.metadata
    const reply = await v2('POST', `/agents/${CHATBOT}/conversations/${conversationId}/tool-result`, {
      body: { toolCallId: 'call_unknown' },
    })
    expect(reply).toMatchObject({ status: 404, json: { error: { code: 'RESOURCE_TOOL_CALL_NOT_FOUND' } } })
  })
})

describe('conversation statuses and credits', () => {
  it.each(['ended', 'taken_over'] as const)(
    'refuses a chat on a conversation %s with CHAT_CONVERSATION_NOT_ONGOING, 409 or 400',
    async (status) => {
      const { conversationId } = (await chat({ message: 'Hi', stream: false })).json.data.metadata
      emulator.setConversationStatus(conversationId, status)
      const refused = await chat({ message: 'Again', conversationId })
      expect(refused).toMatchObject({ status: 409, json: { error: { code: 'CHAT_CONVERSATION_NOT_ONGOING' } } })
      emulator.setConversationNotOngoingStatus(400)
      expect((await chat({ message: 'Again', conversationId })).status).toBe(400)
      expect(emulator.agentConversation(conversationId)?.messages).toHaveLength(2)
    }
  )

  it('records the message of a paused conversation and answers without a text part', async () => {
    const { conversationId } = (await chat({ message: 'Hi', stream: false })).json.data.metadata
    emulator.setConversationStatus(conversationId, 'paused')
    const reply = (await chat({ message: 'Anyone?', conversationId, stream: false })).json.data
    expect(reply.parts).toEqual([])
    expect(reply.metadata).toMatchObject({ finishReason: 'stop', usage: { credits: 0 } })
    const streamed = (await chat({ message: 'Hello?', conversationId })).events
    expect(streamed.some((event) => event.type === 'text-delta')).toBe(false)
    const messages = emulator.agentConversation(conversationId)?.messages ?? []
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'user'])
  })

  it('answers 402 CHAT_CREDITS_EXHAUSTED when switched, until reset()', async () => {
    emulator.setChatCreditsExhausted(true)
    const reply = await chat({ message: 'Hi' })
    expect(reply).toMatchObject({ status: 402, json: { error: { code: 'CHAT_CREDITS_EXHAUSTED' } } })
    emulator.reset()
    expect((await chat({ message: 'Hi' })).status).toBe(200)
  })

  it("counts the agent's credits and last message", async () => {
    emulator.setAgentReply(() => ({ text: 'Costly', credits: 2.5 }))
    await chat({ message: 'Hi', stream: false })
    expect(emulator.agent(CHATBOT)).toMatchObject({ creditsUsed: 2.5, lastMessageAt: expect.any(String) })
  })
})
