// The conversations endpoints: list, get, messages, a user's conversations, pause / resume, feedback (API-created
// conversations only) and export (every source). Answers are checked against the spec by the emulator.
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator, type Body } from '../self-test'

let emulator: ChatbaseEmulator
const { v2 } = useEmulator((started) => (emulator = started))

const CONVERSATIONS = `/agents/${CHATBOT}/conversations`
const DAY = 86_400
const at = (iso: string) => Date.parse(iso) / 1000
const ids = (reply: { json: Body }) => reply.json.data.map((item: { id: string }) => item.id)

async function chatConversation(userId?: string): Promise<string> {
  const reply = await v2('POST', `/agents/${CHATBOT}/chat`, { body: { message: 'Hi', stream: false, userId } })
  return reply.json.data.metadata.conversationId
}

describe('list, get and messages', () => {
  it('lists API-created conversations only, newest first, as ConversationMetadata with epoch seconds', async () => {
    const older = emulator.addAgentConversation(CHATBOT, { createdAt: at('2026-01-01T00:00:00Z'), title: 'Old' })
    emulator.addAgentConversation(CHATBOT, { source: 'WhatsApp' })
    const newer = await chatConversation('user_1')
    const reply = await v2('GET', CONVERSATIONS)
    expect(ids(reply)).toEqual([newer, older.id])
    expect(reply.json.data[1]).toEqual({
      id: older.id,
      title: 'Old',
      createdAt: at('2026-01-01T00:00:00Z'),
      updatedAt: at('2026-01-01T00:00:00Z'),
      userId: null,
      status: 'ongoing',
    })
    expect(reply.json.pagination).toEqual({ cursor: null, hasMore: false, total: 2 })
  })

  it('filters on createdAt, a bare end date taking the whole day, and refuses an inverted window', async () => {
    const dates = ['2026-03-01T10:00:00Z', '2026-03-02T23:59:00Z', '2026-03-03T00:00:00Z']
    const [first, second] = dates.map((date) => emulator.addAgentConversation(CHATBOT, { createdAt: at(date) }))
    const reply = await v2('GET', CONVERSATIONS, { query: { startDate: '2026-03-01', endDate: '2026-03-02' } })
    expect(ids(reply)).toEqual([second!.id, first!.id])
    const iso = await v2('GET', CONVERSATIONS, { query: { startDate: '2026-03-01T12:00:00Z' } })
    expect(iso.json.data).toHaveLength(2)
    const inverted = await v2('GET', CONVERSATIONS, { query: { startDate: '2026-03-02', endDate: '2026-03-01' } })
    expect(inverted).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_DATE_RANGE' } } })
    const invalid = await v2('GET', CONVERSATIONS, { query: { startDate: 'yesterday' } })
    expect(invalid).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
  })

  it('pages with a cursor', async () => {
    for (let index = 0; index < 3; index++) emulator.addAgentConversation(CHATBOT, { createdAt: 1_000 + index })
    const first = await v2('GET', CONVERSATIONS, { query: { limit: '2' } })
    expect(first.json.pagination).toMatchObject({ hasMore: true, total: 3 })
    const second = await v2('GET', CONVERSATIONS, { query: { limit: '2', cursor: first.json.pagination.cursor } })
    expect(second.json.data).toHaveLength(1)
    expect(second.json.pagination).toEqual({ cursor: null, hasMore: false, total: 3 })
    const bad = await v2('GET', CONVERSATIONS, { query: { cursor: 'not-a-cursor' } })
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
  })

  it('gets a conversation with its newest messages, the cursor going on with the messages endpoint', async () => {
    const messages = Array.from({ length: 25 }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: `message ${index}`,
      createdAt: 1_000 + index,
    }))
    const { id } = emulator.addAgentConversation(CHATBOT, { messages })
    const reply = await v2('GET', `${CONVERSATIONS}/${id}`)
    const texts = (list: Body[]) => list.map((message) => message.parts[0].text)
    expect(reply.json.data).toMatchObject({ id, status: 'ongoing' })
    expect(texts(reply.json.data.messages)).toEqual(messages.slice(5).map((message) => message.text))
    expect(reply.json.data.messages[0]).toMatchObject({ role: 'assistant', feedback: null, metadata: { score: null } })
    expect(reply.json.data.messages[1]).not.toHaveProperty('feedback') // a user message
    expect(reply.json.pagination).toMatchObject({ hasMore: true, total: 25 })
    const older = await v2('GET', `${CONVERSATIONS}/${id}/messages`, {
      query: { cursor: reply.json.pagination.cursor },
    })
    expect(texts(older.json.data)).toEqual(messages.slice(0, 5).map((message) => message.text))
  })

  it('answers 404 RESOURCE_NOT_FOUND for a conversation not created through the API', async () => {
    const { id } = emulator.addAgentConversation(CHATBOT, { source: 'Widget or Iframe' })
    for (const path of [`${CONVERSATIONS}/${id}`, `${CONVERSATIONS}/${id}/messages`]) {
      expect(await v2('GET', path)).toMatchObject({ status: 404, json: { error: { code: 'RESOURCE_NOT_FOUND' } } })
    }
  })

  it("lists a user's conversations by last activity, newest first", async () => {
    const quiet = emulator.addAgentConversation(CHATBOT, { userId: 'user_1', createdAt: 1_000, updatedAt: 5_000 })
    const busy = emulator.addAgentConversation(CHATBOT, { userId: 'user_1', createdAt: 2_000, updatedAt: 9_000 })
    emulator.addAgentConversation(CHATBOT, { userId: 'user_2' })
    emulator.addAgentConversation(CHATBOT, { userId: 'user_1', source: 'Slack' })
    const reply = await v2('GET', `/agents/${CHATBOT}/users/user_1/conversations`)
    expect(ids(reply)).toEqual([busy.id, quiet.id])
  })
})

describe('pause, resume and feedback', () => {
  it('pauses and resumes an ongoing conversation', async () => {
    const id = await chatConversation()
    const paused = await v2('PATCH', `${CONVERSATIONS}/${id}`, { body: { paused: true } })
    expect(paused).toMatchObject({ status: 200, json: { data: { id, status: 'paused' } } })
    expect(emulator.agentConversation(id)?.status).toBe('paused')
    const resumed = await v2('PATCH', `${CONVERSATIONS}/${id}`, { body: { paused: false } })
    expect(resumed.json.data.status).toBe('ongoing')
    emulator.setConversationStatus(id, 'ended')
    const ended = await v2('PATCH', `${CONVERSATIONS}/${id}`, { body: { paused: true } })
    expect(ended).toMatchObject({ status: 409, json: { error: { code: 'CHAT_CONVERSATION_NOT_ONGOING' } } })
    expect((await v2('PATCH', `${CONVERSATIONS}/unknown`, { body: { paused: true } })).status).toBe(404)
  })

  it('rates assistant messages only, and clears a rating with null', async () => {
    const id = await chatConversation()
    const [user, assistant] = emulator.agentConversation(id)!.messages
    const feedback = (messageId: string, value: string | null) =>
      v2('PATCH', `${CONVERSATIONS}/${id}/messages/${messageId}/feedback`, { body: { feedback: value } })
    const rated = await feedback(assistant!.id, 'positive')
    expect(rated).toMatchObject({
      status: 200,
      json: { data: { id: assistant!.id, role: 'assistant', feedback: 'positive' } },
    })
    expect((await feedback(assistant!.id, null)).json.data.feedback).toBeNull()
    const onUser = await feedback(user!.id, 'negative')
    expect(onUser).toMatchObject({ status: 422, json: { error: { code: 'RESOURCE_MESSAGE_NOT_ASSISTANT' } } })
    const missing = await feedback('msg_none', 'negative')
    expect(missing).toMatchObject({ status: 404, json: { error: { code: 'RESOURCE_MESSAGE_NOT_FOUND' } } })
  })
})

describe('export', () => {
  it('exports every source with its messages, tool calls without their input', async () => {
    const widget = emulator.addAgentConversation(CHATBOT, {
      source: 'Widget or Iframe',
      createdAt: 2_000,
      messages: [
        { role: 'user', text: 'Order 42?' },
        {
          role: 'assistant',
          parts: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookupOrder', input: { id: 42 } }],
        },
      ],
    })
    const api = emulator.addAgentConversation(CHATBOT, { createdAt: 1_000 })
    const reply = await v2('GET', `${CONVERSATIONS}/export`)
    expect(ids(reply)).toEqual([widget.id, api.id])
    expect(reply.json.data[0]).toMatchObject({ source: 'Widget or Iframe', status: 'ongoing' })
    expect(reply.json.data[0].messages[1].parts).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookupOrder' },
    ])
    expect(reply.json.pagination).toEqual({ cursor: null, hasMore: false, total: 2 })
  })

  it('filters by source, dates and conversationId, and leaves the messages out with include=summary', async () => {
    const whatsapp = emulator.addAgentConversation(CHATBOT, {
      source: 'WhatsApp',
      createdAt: at('2026-02-01T12:00:00Z'),
    })
    const slack = emulator.addAgentConversation(CHATBOT, { source: 'Slack', createdAt: at('2026-02-03T12:00:00Z') })
    emulator.addAgentConversation(CHATBOT, { source: 'API', createdAt: at('2026-02-01T12:00:00Z') })
    expect(ids(await v2('GET', `${CONVERSATIONS}/export`, { query: { source: 'WhatsApp,Slack' } }))).toEqual([
      slack.id,
      whatsapp.id,
    ])
    const query = { startDate: '2026-02-02', endDate: '2026-02-03' }
    expect(ids(await v2('GET', `${CONVERSATIONS}/export`, { query }))).toEqual([slack.id])
    const single = await v2('GET', `${CONVERSATIONS}/export`, {
      query: { conversationId: whatsapp.id, include: 'summary' },
    })
    expect(ids(single)).toEqual([whatsapp.id])
    expect(single.json.data[0]).not.toHaveProperty('messages')
    const unknown = await v2('GET', `${CONVERSATIONS}/export`, { query: { source: 'Fax' } })
    expect(unknown).toMatchObject({
      status: 400,
      json: { error: { details: { source: expect.stringContaining('Fax') } } },
    })
  })

  it('pages by at most 20', async () => {
    for (let index = 0; index < 21; index++) emulator.addAgentConversation(CHATBOT, { createdAt: DAY + index })
    const first = await v2('GET', `${CONVERSATIONS}/export`)
    expect(first.json.data).toHaveLength(20)
    const next = await v2('GET', `${CONVERSATIONS}/export`, { query: { cursor: first.json.pagination.cursor } })
    expect(next.json.data).toHaveLength(1)
  })
})
