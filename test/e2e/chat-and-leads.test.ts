import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const chatRequests = () => h.chatbase.requests.filter((request) => request.path === '/chat').map((request) => JSON.parse(request.body))

describe('messageChatbot', () => {
  it("sends the history and the new message, and answers the chatbot's text", async () => {
    h.chatbase.setChatReply(({ messages }) => `reply to "${messages.at(-1)?.content}" after ${messages.length} messages`)
    const history = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
    ]
    const result = await h.driver.callAction('messageChatbot', {
      message: 'What are your prices?',
      conversationId: 'conv-1',
      history,
      model: 'gpt-4o-mini',
      temperature: 0.2,
    })

    expect(result.status).toBe(200)
    expect(result.output).toEqual({
      text: 'reply to "What are your prices?" after 3 messages',
      answered: true,
      conversationId: 'conv-1',
      history: [...history, { role: 'user', content: 'What are your prices?' }, { role: 'assistant', content: 'reply to "What are your prices?" after 3 messages' }],
    })
    expect(chatRequests()).toEqual([
      {
        chatbotId: CHATBOT_ID,
        messages: [...history, { role: 'user', content: 'What are your prices?' }],
        conversationId: 'conv-1',
        model: 'gpt-4o-mini',
        temperature: 0.2,
        stream: false,
      },
    ])
    expect(h.chatbase.savedConversation('conv-1')?.at(-1)).toEqual({
      role: 'assistant',
      content: 'reply to "What are your prices?" after 3 messages',
    })
  })

  it('sends only the message when there is no history, and saves nothing without a conversation id', async () => {
    const result = await h.driver.callAction('messageChatbot', { message: 'Hello' })

    expect(result.output?.text).toEqual(expect.any(String))
    expect(result.output?.conversationId).toBeUndefined()
    expect(chatRequests()[0]?.messages).toEqual([{ role: 'user', content: 'Hello' }])
    expect(chatRequests()[0]).not.toHaveProperty('conversationId')
  })

  it('refuses an out-of-range temperature and a bad history role before any request', async () => {
    const result = await h.driver.callAction('messageChatbot', {
      message: 'Hello',
      temperature: 1.5,
      history: [{ role: 'system', content: 'x' }],
    })

    expect(result.error?.message).toContain('temperature: Number must be less than or equal to 1')
    expect(result.error?.message).toContain('history.0.role')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('getLeads', () => {
  beforeEach(() => {
    h.chatbase.addLead(CHATBOT_ID, { name: 'Early', email: 'early@example.com', createdAt: '2025-01-05T10:00:00Z' })
    h.chatbase.addLead(CHATBOT_ID, { name: 'Mid', phone: '+331234', createdAt: '2025-02-10T10:00:00Z' })
    h.chatbase.addLead(CHATBOT_ID, { name: 'Late', email: 'late@example.com', createdAt: '2025-03-20T10:00:00Z' })
  })

  it('lists leads in camelCase, filtered by date', async () => {
    const result = await h.driver.callAction('getLeads', { startDate: '2025-02-01', endDate: '2025-03-31' })

    expect(result.status).toBe(200)
    expect(result.output?.leads.map((lead: { name: string }) => lead.name).sort()).toEqual(['Late', 'Mid'])
    expect(result.output?.leads.find((lead: { name: string }) => lead.name === 'Mid')).toMatchObject({
      id: expect.any(String),
      phone: '+331234',
      chatbotId: CHATBOT_ID,
    })
    expect(result.output).toMatchObject({ page: 1, size: 10, hasMore: false })
    const [request] = h.chatbase.requests
    expect(request?.query).toMatchObject({ chatbotId: CHATBOT_ID, startDate: '2025-02-01', endDate: '2025-03-31', page: '1', size: '10' })
  })

  it('pages through leads and says when a page was full', async () => {
    const first = await h.driver.callAction('getLeads', { page: 1, size: 2 })
    const second = await h.driver.callAction('getLeads', { page: 2, size: 2 })

    expect(first.output).toMatchObject({ page: 1, size: 2, hasMore: true })
    expect(first.output?.leads).toHaveLength(2)
    expect(second.output).toMatchObject({ page: 2, size: 2, hasMore: false })
    expect(second.output?.leads).toHaveLength(1)
  })

  it('refuses malformed, impossible and reversed dates before any request', async () => {
    const malformed = await h.driver.callAction('getLeads', { startDate: '2025-1-5' })
    const impossible = await h.driver.callAction('getLeads', { endDate: '2025-02-30' })
    const reversed = await h.driver.callAction('getLeads', { startDate: '2025-03-01', endDate: '2025-02-01' })

    expect(malformed.error?.message).toContain('startDate: must be a date written YYYY-MM-DD')
    expect(impossible.error?.message).toContain('endDate: 2025-02-30 is not a day of the calendar')
    expect(reversed.error?.message).toContain('endDate: must not be before startDate')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})
