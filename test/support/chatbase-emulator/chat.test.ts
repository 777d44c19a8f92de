// POST /chat.
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from './index'
import { CHATBOT, useEmulator } from './self-test'

let emulator: ChatbaseEmulator
const { api } = useEmulator((started) => (emulator = started))

describe('POST /chat', () => {
  const question = { chatbotId: CHATBOT, messages: [{ role: 'user', content: 'What is Chatbase?' }] }

  it('answers a deterministic reply that quotes the last user message and counts the messages', async () => {
    const messages = [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
      { role: 'user', content: 'What is Chatbase?' },
    ]
    const reply = await api('POST', '/chat', { body: { chatbotId: CHATBOT, messages } })
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ text: 'Emulated reply to "What is Chatbase?" (messages received: 3)' })
  })

  it('accepts the body without a JSON content type, like the docs example', async () => {
    const response = await fetch(`${emulator.url}/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiKey}` },
      body: JSON.stringify(question),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ text: 'Emulated reply to "What is Chatbase?" (messages received: 1)' })
  })

  it('passes the messages to the reply set with setChatReply', async () => {
    const seen: unknown[] = []
    emulator.setChatReply((request) => {
      seen.push(request)
      return `custom reply to ${request.messages.length} message(s)`
    })
    const body = { ...question, conversationId: 'conv-1', model: 'gpt-4o-mini', temperature: 0.3 }
    const reply = await api('POST', '/chat', { body })
    expect(reply.json).toEqual({ text: 'custom reply to 1 message(s)' })
    expect(seen).toEqual([{ messages: question.messages }])
  })

  it('saves the conversation with the reply under conversationId; the latest call overwrites it', async () => {
    await api('POST', '/chat', { body: { ...question, conversationId: 'conv-1' } })
    expect(emulator.savedConversation('conv-1')).toEqual([
      { role: 'user', content: 'What is Chatbase?' },
      { role: 'assistant', content: 'Emulated reply to "What is Chatbase?" (messages received: 1)' },
    ])

    const followUp = [{ role: 'user', content: 'Start over' }]
    await api('POST', '/chat', { body: { chatbotId: CHATBOT, messages: followUp, conversationId: 'conv-1' } })
    expect(emulator.savedConversation('conv-1')).toEqual([
      { role: 'user', content: 'Start over' },
      { role: 'assistant', content: 'Emulated reply to "Start over" (messages received: 1)' },
    ])
  })

  it('saves nothing without conversationId', async () => {
    await api('POST', '/chat', { body: question })
    expect(emulator.savedConversation('undefined')).toBeUndefined()
    expect(emulator.savedConversation('')).toBeUndefined()
  })

  it('refuses stream: true with a 400 that says streaming is not emulated, saving nothing', async () => {
    const reply = await api('POST', '/chat', { body: { ...question, stream: true, conversationId: 'streamed' } })
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({
      message: 'Invalid request body',
      issues: [{ field: 'stream', message: 'Streaming is not emulated: send stream false or leave it out' }],
    })
    expect(emulator.savedConversation('streamed')).toBeUndefined()
    expect((await api('POST', '/chat', { body: { ...question, stream: false } })).status).toBe(200)
  })

  it.each([
    ['empty messages', { messages: [] }, 'messages', 'Array must contain at least 1 element(s)'],
    ['missing messages', { messages: undefined }, 'messages', 'Required'],
    [
      'a bad role',
      { messages: [{ role: 'system', content: 'x' }] },
      'messages.0.role',
      expect.stringContaining("'system'"),
    ],
    ['a missing content', { messages: [{ role: 'user' }] }, 'messages.0.content', 'Required'],
    ['a missing chatbotId', { chatbotId: undefined }, 'chatbotId', 'Required'],
    ['temperature above 1', { temperature: 1.5 }, 'temperature', 'Number must be less than or equal to 1'],
    ['temperature below 0', { temperature: -0.1 }, 'temperature', 'Number must be greater than or equal to 0'],
    ['a string temperature', { temperature: '0.5' }, 'temperature', 'Expected number, received string'],
  ])('answers 400 to %s', async (_case, override, field, message) => {
    const reply = await api('POST', '/chat', { body: { ...question, ...override } })
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
  })

  it('answers 404 for an unknown chatbot', async () => {
    const reply = await api('POST', '/chat', { body: { ...question, chatbotId: 'no-such-bot' } })
    expect(reply).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
  })
})
