import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const SEARCH = `/agents/${CHATBOT_ID}/conversations/search`
const searches = () => h.chatbase.requests.filter((request) => request.api === 'v2' && request.path === SEARCH)

describe('Search Conversations', () => {
  it('finds conversations by text across channels, with the snippet as plain text and what matched', async () => {
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'refund',
      source: 'WhatsApp',
      messages: [{ role: 'user', text: 'I would like a refund for my broken kettle' }],
    })
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'other',
      source: 'API',
      messages: [{ role: 'user', text: 'What are your opening hours?' }],
    })
    const result = await h.driver.callAction('searchConversations', { query: 'refund kettle' })

    expect(result.output?.hasMore).toBe(false)
    expect(result.output?.conversations).toEqual([
      expect.objectContaining({
        id: 'refund',
        source: 'WhatsApp',
        snippet: expect.stringContaining('refund for my broken kettle'),
        matched: expect.arrayContaining([expect.stringMatching(/refund/i), expect.stringMatching(/kettle/i)]),
      }),
    ])
    expect(typeof result.output?.conversations[0].createdAt).toBe('string')
  })

  it('sends every filter as Chatbase names it: lists comma-separated, escalated only when true', async () => {
    h.chatbase.addAgentConversation(CHATBOT_ID, {
      id: 'escalated',
      source: 'Widget or Iframe',
      status: 'taken_over',
      sentiment: 'negative',
      topic: 'Billing',
      userId: 'user-1',
      escalated: true,
      actionTypes: ['collect-leads'],
      tools: [{ name: 'lookupOrder', outcome: 'error' }],
    })
    h.chatbase.addAgentConversation(CHATBOT_ID, { id: 'calm', source: 'Widget or Iframe', sentiment: 'positive' })
    const result = await h.driver.callAction('searchConversations', {
      source: ['Widget or Iframe', 'WhatsApp'],
      sentiment: ['negative', 'neutral'],
      topic: ['Billing'],
      userId: ['user-1', 'user-2'],
      activityState: ['taken_over'],
      escalated: true,
      actionType: ['collect-leads'],
      tool: ['lookupOrder'],
      toolOutcome: ['error'],
      hasVoice: false,
    })
    const notEscalated = await h.driver.callAction('searchConversations', { escalated: false })

    expect(result.output?.conversations.map((c: { id: string }) => c.id)).toEqual(['escalated'])
    expect(searches()[0]?.query).toEqual({
      source: 'Widget or Iframe,WhatsApp',
      sentiment: 'negative,neutral',
      topic: 'Billing',
      userId: 'user-1,user-2',
      activityState: 'taken_over',
      escalated: 'true',
      actionType: 'collect-leads',
      tool: 'lookupOrder',
      toolOutcome: 'error',
      hasVoice: 'false',
      limit: '25',
    })
    expect(notEscalated.output?.conversations).toHaveLength(2)
    expect(searches()[1]?.query).not.toHaveProperty('escalated')
  })

  it('keeps following short and empty pages up to the Limit, and continues from Next Cursor', async () => {
    h.chatbase.setSearchPaging('sparse')
    for (let index = 0; index < 60; index++) {
      h.chatbase.addAgentConversation(CHATBOT_ID, { id: `c-${index}`, source: 'API' })
    }
    const first = await h.driver.callAction('searchConversations', { limit: 20 })
    const rest = await h.driver.callAction('searchConversations', { limit: 100, cursor: first.output?.nextCursor })

    expect(first.output?.conversations.length).toBeGreaterThanOrEqual(20)
    expect(first.output?.hasMore).toBe(true)
    const ids = [...first.output?.conversations, ...rest.output?.conversations].map((c: { id: string }) => c.id)
    expect(new Set(ids).size).toBe(60)
    expect(rest.output?.hasMore).toBe(false)
  })

  it('refuses a day that does not exist and a value with a comma, naming the fields, sending nothing', async () => {
    const result = await h.driver.callAction('searchConversations', { startDate: '2025-02-30', topic: ['a,b'] })

    expect(result.error?.message).toContain('topic.0: must not contain a comma')
    const dates = await h.driver.callAction('searchConversations', { updatedAfter: '2025-02-30' })
    expect(dates.error?.message).toContain('updatedAfter: 2025-02-30 is not a day or time of the calendar')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('fails on a plan without API v2 with a message naming the Standard plan, never calling v1', async () => {
    h.chatbase.setPlanAccess('no-api')
    const result = await h.driver.callAction('searchConversations', { query: 'refund' })

    expect(result.error?.message).toMatch(
      /^Search Conversations needs Chatbase API v2, which comes with the Chatbase Standard plan/
    )
    expect(h.chatbase.requests.filter((request) => request.api === 'v1')).toHaveLength(0)
  })
})
