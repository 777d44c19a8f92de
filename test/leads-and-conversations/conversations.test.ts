import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from '../support/harness'

// API v1, which serves these cards on plans without v2 (the v2 side: agents-v2 / conversations-v2 tests).
const h = useHarness({ apiVersion: 'v1' })

describe('conversations', () => {
  it('reads conversations filtered by source and date, with their messages', async () => {
    h.chatbase.addConversation(CHATBOT_ID, {
      id: 'widget-1',
      source: 'Widget or Iframe',
      createdAt: '2025-03-02T10:00:00Z',
      messages: [{ role: 'user', content: 'Hi from the widget' }],
    })
    h.chatbase.addConversation(CHATBOT_ID, {
      id: 'wa-1',
      source: 'WhatsApp',
      createdAt: '2025-03-03T10:00:00Z',
      messages: [],
    })
    const result = await h.driver.callAction('getConversations', {
      filteredSources: ['Widget or Iframe', 'API'],
      startDate: '2025-03-01',
      endDate: '2025-03-31',
    })

    expect(result.output?.conversations).toEqual([
      expect.objectContaining({
        id: 'widget-1',
        source: 'Widget or Iframe',
        chatbotId: CHATBOT_ID,
        messages: [{ role: 'user', content: 'Hi from the widget' }],
      }),
    ])
    expect(h.chatbase.requests[0]?.query).toMatchObject({ filteredSources: 'Widget or Iframe,API', size: '10' })
  })

  it('refuses an unknown source and a page size over 100, naming them', async () => {
    const result = await h.driver.callAction('getConversations', { filteredSources: ['Telegram'], size: 500 })

    expect(result.error?.message).toContain('filteredSources.0')
    expect(result.error?.message).toContain('size: Number must be less than or equal to 100')
  })
})

describe('query parameters', () => {
  it('sends no filteredSources for an empty source list, so nothing is filtered', async () => {
    h.chatbase.addConversation(CHATBOT_ID, { id: 'any', messages: [] })
    const result = await h.driver.callAction('getConversations', { filteredSources: [] })

    expect(result.output?.conversations).toHaveLength(1)
    expect(h.chatbase.requests[0]?.query).not.toHaveProperty('filteredSources')
  })
})

/* Get Conversations works whichever Chatbase sends: the docs' examples, or the shapes clients saw from the live API. */
describe.each<Shapes>(['documented', 'live'])('Chatbase answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('gets conversations whatever their roles, extra fields or missing chatbot id', async () => {
    h.chatbase.addConversation(CHATBOT_ID, {
      id: 'handed-over',
      messages: [
        { role: 'user', content: 'I want a person' },
        { role: 'human_agent', content: 'Hello, I am Grace' },
      ],
    })
    const result = await h.driver.callAction('getConversations', {})

    expect(result.output?.conversations).toEqual([
      expect.objectContaining({
        id: 'handed-over',
        chatbotId: CHATBOT_ID,
        messages: [
          { role: 'user', content: 'I want a person' },
          { role: 'human_agent', content: 'Hello, I am Grace' },
        ],
      }),
    ])
  })
})
