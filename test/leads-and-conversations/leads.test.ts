import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

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
    expect(request?.query).toMatchObject({
      chatbotId: CHATBOT_ID,
      startDate: '2025-02-01',
      endDate: '2025-03-31',
      page: '1',
      size: '10',
    })
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

describe('query parameters', () => {
  it('reads leads in pages of any size, as the docs set no maximum', async () => {
    for (let index = 0; index < 150; index++) h.chatbase.addLead(CHATBOT_ID, { name: `Lead ${index}` })
    const result = await h.driver.callAction('getLeads', { size: 500 })

    expect(result.output).toMatchObject({ size: 500, hasMore: false })
    expect(result.output?.leads).toHaveLength(150)
    expect(h.chatbase.requests.map((request) => request.query.size)).toEqual(['500'])
  })
})

/* Get Leads works whichever Chatbase sends: the docs' examples, or the shapes clients saw from the live API. */
describe.each<Shapes>(['documented', 'live'])('Chatbase answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('gets the leads', async () => {
    const lead = h.chatbase.addLead(CHATBOT_ID, { name: 'Ada', email: 'ada@example.com', phone: null })
    const result = await h.driver.callAction('getLeads', {})

    expect(result.output?.leads).toEqual([
      { id: String(lead.id), name: 'Ada', email: 'ada@example.com', chatbotId: CHATBOT_ID, createdAt: lead.created_at },
    ])
  })
})
