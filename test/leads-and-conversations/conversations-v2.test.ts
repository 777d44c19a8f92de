import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const EXPORT = `/agents/${CHATBOT_ID}/conversations/export`
const exports = () => h.chatbase.requests.filter((request) => request.api === 'v2' && request.path === EXPORT)

describe('Get Conversations on API v2', () => {
  it('reads every channel through export, filtered by source and date, in one shape', async () => {
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'widget-1',
      source: 'Widget or Iframe',
      createdAt: Date.parse('2025-03-02T10:00:00Z') / 1000,
      messages: [
        { role: 'user', text: 'Hi from the widget' },
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }], feedback: 'positive' },
      ],
    })
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'wa-1',
      source: 'WhatsApp',
      createdAt: Date.parse('2025-03-03T10:00:00Z') / 1000,
    })
    const result = await h.driver.callAction('getConversations', {
      filteredSources: ['Widget or Iframe', 'API'],
      startDate: '2025-03-01',
      endDate: '2025-03-31',
    })

    expect(result.output).toMatchObject({ size: 10, hasMore: false })
    expect(result.output?.conversations).toEqual([
      expect.objectContaining({
        id: 'widget-1',
        source: 'Widget or Iframe',
        chatbotId: CHATBOT_ID,
        createdAt: '2025-03-02T10:00:00.000Z',
        messages: [
          expect.objectContaining({ role: 'user', content: 'Hi from the widget' }),
          expect.objectContaining({ role: 'assistant', content: 'Hello!', feedback: 'positive' }),
        ],
      }),
    ])
    expect(exports()[0]?.query).toMatchObject({
      source: 'Widget or Iframe,API',
      startDate: '2025-03-01',
      endDate: '2025-03-31',
      limit: '10',
      include: 'messages',
    })
    expect(h.chatbase.requests.filter((request) => request.api === 'v1')).toHaveLength(0)
  })

  it('reads one conversation of any channel by its id, and summaries without messages', async () => {
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'wa-2',
      source: 'WhatsApp',
      messages: [{ role: 'user', text: 'Hi' }],
    })
    h.chatbase.addAgentConversation(CHATBOT_ID, { id: 'other', source: 'API' })
    const one = await h.driver.callAction('getConversations', { conversationId: 'wa-2' })
    const summaries = await h.driver.callAction('getConversations', { include: 'summary' })

    expect(one.output?.conversations).toEqual([expect.objectContaining({ id: 'wa-2', source: 'WhatsApp' })])
    expect(one.output?.conversations[0].messages).toHaveLength(1)
    expect(summaries.output?.conversations).toHaveLength(2)
    expect(summaries.output?.conversations.every((c: { messages: unknown[] }) => c.messages.length === 0)).toBe(true)
    expect(exports()[1]?.query).toMatchObject({ include: 'summary' })
  })

  it('reads at most 20 a page, follows the cursor up to a Limit, and continues from Next Cursor', async () => {
    for (let index = 0; index < 45; index++) {
      h.chatbase.addAgentConversation(CHATBOT_ID, { id: `c-${index}`, source: 'API' })
    }
    const first = await h.driver.callAction('getConversations', { size: 100, limit: 30 })
    const rest = await h.driver.callAction('getConversations', {
      size: 100,
      limit: 30,
      cursor: first.output?.nextCursor,
    })

    expect(first.output).toMatchObject({ size: 20, hasMore: true, nextCursor: expect.any(String), total: 45 })
    expect(first.output?.conversations).toHaveLength(40)
    expect(rest.output?.conversations).toHaveLength(5)
    expect(rest.output?.hasMore).toBe(false)
    expect(rest.output?.nextCursor).toBeUndefined()
    const ids = [...first.output?.conversations, ...rest.output?.conversations].map((c: { id: string }) => c.id)
    expect(new Set(ids).size).toBe(45)
    expect(exports().map((request) => request.query.limit)).toEqual(['20', '20', '20'])
  })

  it('refuses a Page other than 1, naming it, before sending anything', async () => {
    const result = await h.driver.callAction('getConversations', { page: 2 })

    expect(result.error?.message).toContain('page: Chatbase API v2 continues with Cursor')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('Get Conversations on a plan without API v2', () => {
  it("falls back to API v1's pages, and refuses what only v2 can do, naming the field", async () => {
    h.chatbase.setPlanAccess('no-api')
    h.chatbase.addConversation(CHATBOT_ID, { id: 'v1-1', messages: [{ role: 'user', content: 'Hello' }] })
    const read = await h.driver.callAction('getConversations', { include: 'summary' })
    const refused = await h.driver.callAction('getConversations', { conversationId: 'v1-1' })

    expect(read.output).toMatchObject({ page: 1, hasMore: false, size: 10 })
    expect(read.output?.conversations).toEqual([expect.objectContaining({ id: 'v1-1', messages: [] })])
    expect(refused.error?.message).toContain('conversationId: needs Chatbase API v2')
  })

  it('goes straight to v1 when the configuration says v1', async () => {
    h.chatbase.addConversation(CHATBOT_ID, { id: 'v1-2', messages: [] })
    const driver = h.driver.withConfiguration({ ...h.configuration, apiVersion: 'v1' })
    const result = await driver.callAction('getConversations', {})

    expect(result.output?.conversations).toEqual([expect.objectContaining({ id: 'v1-2' })])
    expect(h.chatbase.requests.every((request) => request.api === 'v1')).toBe(true)
  })
})
