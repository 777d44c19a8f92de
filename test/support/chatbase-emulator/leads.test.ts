// get-leads and get-conversations, with addLead and addConversation.
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from './index'
import { CHATBOT, useEmulator, type Reply } from './self-test'

let emulator: ChatbaseEmulator
const { api } = useEmulator((started) => (emulator = started))

describe('GET /get-leads', () => {
  const getLeads = (query: Record<string, string>) =>
    api('GET', '/get-leads', { query: { chatbotId: CHATBOT, ...query } })

  it('answers the documented lead objects', async () => {
    const stored = emulator.addLead(CHATBOT, {
      name: 'Ann',
      email: 'ann@example.com',
      phone: '+15550100',
      createdAt: '2024-03-01T10:00:00.000Z',
    })
    const reply = await getLeads({})
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({
      data: [
        {
          id: stored.id,
          created_at: '2024-03-01T10:00:00.000Z',
          chatbot_owner_user_id: stored.chatbot_owner_user_id,
          chatbot_id: CHATBOT,
          phone: '+15550100',
          email: 'ann@example.com',
          name: 'Ann',
        },
      ],
    })
    expect(typeof stored.id).toBe('number')
  })

  it('fills absent lead fields with null and the creation time with now', async () => {
    const before = Date.now()
    const lead = emulator.addLead(CHATBOT, { email: 'only@example.com' })
    expect(lead).toMatchObject({ name: null, phone: null, email: 'only@example.com' })
    expect(Date.parse(lead.created_at)).toBeGreaterThanOrEqual(before - 1000)
  })

  it('filters by creation day, both ends inclusive', async () => {
    for (const createdAt of [
      '2024-01-09T23:59:59Z',
      '2024-01-10T00:00:00Z',
      '2024-01-12T23:59:59Z',
      '2024-01-13T00:00:00Z',
    ]) {
      emulator.addLead(CHATBOT, { name: createdAt, createdAt })
    }
    const reply = await getLeads({ startDate: '2024-01-10', endDate: '2024-01-12' })
    const names = reply.json.data.map((lead: { name: string }) => lead.name).sort()
    expect(names).toEqual(['2024-01-10T00:00:00Z', '2024-01-12T23:59:59Z'])
    expect((await getLeads({ startDate: '2024-01-13' })).json.data).toHaveLength(1)
    expect((await getLeads({ endDate: '2024-01-09' })).json.data).toHaveLength(1)
  })

  it('pages with page and size (default 10 per page), newest first', async () => {
    for (let day = 1; day <= 25; day++) {
      emulator.addLead(CHATBOT, { name: `lead ${day}`, createdAt: `2024-05-${String(day).padStart(2, '0')}T12:00:00Z` })
    }
    const names = (reply: Reply) => reply.json.data.map((lead: { name: string }) => lead.name)
    expect(names(await getLeads({}))).toEqual(Array.from({ length: 10 }, (_, i) => `lead ${25 - i}`))
    expect(names(await getLeads({ page: '3' }))).toEqual(['lead 5', 'lead 4', 'lead 3', 'lead 2', 'lead 1'])
    expect(names(await getLeads({ page: '2', size: '4' }))).toEqual(['lead 21', 'lead 20', 'lead 19', 'lead 18'])
    expect(names(await getLeads({ page: '4' }))).toEqual([])
  })

  it.each(['2023-7-10', '2023-02-30', '10-07-2023', 'yesterday'])('answers 400 to the date %s', async (date) => {
    const reply = await getLeads({ startDate: date })
    expect(reply.status).toBe(400)
    expect(reply.json.issues).toEqual([{ field: 'startDate', message: expect.any(String) }])
    expect((await getLeads({ endDate: date })).status).toBe(400)
  })

  it('answers 400 without chatbotId and 404 for an unknown chatbot', async () => {
    const missing = await api('GET', '/get-leads')
    expect(missing.status).toBe(400)
    expect(missing.json.issues).toEqual([{ field: 'chatbotId', message: 'Required' }])
    expect(await getLeads({ chatbotId: 'no-such-bot' })).toMatchObject({
      status: 404,
      json: { message: 'Chatbot not found' },
    })
  })
})

describe('GET /get-conversations', () => {
  const getConversations = (query: Record<string, string> = {}) =>
    api('GET', '/get-conversations', { query: { chatbotId: CHATBOT, ...query } })
  const ids = (reply: Reply) => reply.json.data.map((conversation: { id: string }) => conversation.id)
  const chat = (body: Record<string, unknown>) =>
    api('POST', '/chat', { body: { chatbotId: CHATBOT, messages: [{ role: 'user', content: 'hi' }], ...body } })

  it('answers the conversation saved by a /chat with conversationId, source API, in the documented shape', async () => {
    const before = Date.now()
    expect((await chat({ conversationId: 'conv-1' })).status).toBe(200)
    expect((await chat({})).status).toBe(200) // no conversationId: nothing saved
    const reply = await getConversations()
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({
      data: [
        {
          id: 'conv-1',
          created_at: expect.any(String),
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: 'Emulated reply to "hi" (messages received: 1)' },
          ],
          chatbot_id: CHATBOT,
          customer: '',
          source: 'API',
        },
      ],
    })
    const createdAt = Date.parse(reply.json.data[0].created_at)
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000)
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000)
    expect(Object.keys(reply.json.data[0])).toEqual([
      'id',
      'created_at',
      'messages',
      'chatbot_id',
      'customer',
      'source',
    ])
  })

  it('shows what the latest /chat for an id sent, once', async () => {
    await chat({ conversationId: 'conv-1' })
    const first = (await getConversations()).json.data[0]
    await chat({ conversationId: 'conv-1', messages: [{ role: 'user', content: 'again' }] })
    const reply = await getConversations()
    expect(reply.json.data).toHaveLength(1)
    expect(reply.json.data[0].messages[0]).toEqual({ role: 'user', content: 'again' })
    expect(reply.json.data[0].created_at).toBe(first.created_at)
  })

  it('answers conversations added with addConversation, only for their chatbot', async () => {
    emulator.addChatbot('other-bot')
    const added = emulator.addConversation(CHATBOT, {
      id: 'wa-1',
      source: 'WhatsApp',
      createdAt: '2024-02-01T08:00:00Z',
      messages: [{ role: 'user', content: 'hello' }],
    })
    expect(added).toEqual({
      id: 'wa-1',
      created_at: '2024-02-01T08:00:00.000Z',
      messages: [{ role: 'user', content: 'hello' }],
      chatbot_id: CHATBOT,
      customer: '',
      source: 'WhatsApp',
    })
    emulator.addConversation('other-bot', { id: 'elsewhere', messages: [] })
    await api('POST', '/chat', {
      body: { chatbotId: 'other-bot', messages: [{ role: 'user', content: 'x' }], conversationId: 'c' },
    })
    expect((await getConversations()).json.data).toEqual([added])
    expect(ids(await getConversations({ chatbotId: 'other-bot' })).sort()).toEqual(['c', 'elsewhere'])
  })

  it('gives addConversation a random id, source Unspecified and now by default, and rejects bad input', () => {
    const before = Date.now()
    const added = emulator.addConversation(CHATBOT, { messages: [{ role: 'user', content: 'x' }] })
    expect(added.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(added.source).toBe('Unspecified')
    expect(Date.parse(added.created_at)).toBeGreaterThanOrEqual(before - 1000)
    expect(emulator.addConversation(CHATBOT, { messages: [] }).id).not.toBe(added.id)
    expect(() => emulator.addConversation(CHATBOT, { messages: [], createdAt: 'never' })).toThrow()
    expect(() => emulator.addConversation('no-such-bot', { messages: [] })).toThrow()
  })

  describe('filteredSources', () => {
    beforeEach(async () => {
      await chat({ conversationId: 'api-1' })
      emulator.addConversation(CHATBOT, { id: 'wa-1', source: 'WhatsApp', messages: [] })
      emulator.addConversation(CHATBOT, { id: 'slack-1', source: 'Slack', messages: [] })
      emulator.addConversation(CHATBOT, { id: 'widget-1', source: 'Widget or Iframe', messages: [] })
    })

    it.each([
      ['API', ['api-1']],
      ['API,WhatsApp', ['api-1', 'wa-1']],
      [' Slack , Widget or Iframe ', ['slack-1', 'widget-1']],
      ['Messenger', []],
      ['', ['api-1', 'slack-1', 'wa-1', 'widget-1']],
    ])('keeps only the sources %o', async (filteredSources, expected) => {
      const reply = await getConversations({ filteredSources })
      expect(reply.status).toBe(200)
      expect(ids(reply).sort()).toEqual(expected)
    })

    it('answers all sources without the parameter', async () => {
      expect(ids(await getConversations()).sort()).toEqual(['api-1', 'slack-1', 'wa-1', 'widget-1'])
    })

    it('answers 400 to an unknown source', async () => {
      const reply = await getConversations({ filteredSources: 'API,Email' })
      expect(reply.status).toBe(400)
      expect(reply.json.message).toBe('Invalid request parameters')
      expect(reply.json.issues).toEqual([{ field: 'filteredSources', message: expect.stringContaining("'Email'") }])
    })
  })

  it('filters by creation day, both ends inclusive', async () => {
    for (const createdAt of [
      '2024-01-09T23:59:59Z',
      '2024-01-10T00:00:00Z',
      '2024-01-12T23:59:59Z',
      '2024-01-13T00:00:00Z',
    ]) {
      emulator.addConversation(CHATBOT, { id: createdAt, createdAt, messages: [] })
    }
    expect(ids(await getConversations({ startDate: '2024-01-10', endDate: '2024-01-12' })).sort()).toEqual([
      '2024-01-10T00:00:00Z',
      '2024-01-12T23:59:59Z',
    ])
    expect(ids(await getConversations({ startDate: '2024-01-13' }))).toEqual(['2024-01-13T00:00:00Z'])
    expect(ids(await getConversations({ endDate: '2024-01-09' }))).toEqual(['2024-01-09T23:59:59Z'])
  })

  it.each(['2023-7-10', '2023-02-30', 'yesterday'])('answers 400 to the date %s', async (date) => {
    const reply = await getConversations({ startDate: date })
    expect(reply.status).toBe(400)
    expect(reply.json.issues).toEqual([{ field: 'startDate', message: expect.any(String) }])
    expect((await getConversations({ endDate: date })).json.issues).toEqual([
      { field: 'endDate', message: expect.any(String) },
    ])
  })

  it('pages with page and size (default 10), newest first', async () => {
    for (let day = 1; day <= 25; day++) {
      const id = `c${day}`
      emulator.addConversation(CHATBOT, {
        id,
        createdAt: `2024-05-${String(day).padStart(2, '0')}T12:00:00Z`,
        messages: [],
      })
    }
    expect(ids(await getConversations())).toEqual(Array.from({ length: 10 }, (_, i) => `c${25 - i}`))
    expect(ids(await getConversations({ page: '3' }))).toEqual(['c5', 'c4', 'c3', 'c2', 'c1'])
    expect(ids(await getConversations({ page: '2', size: '4' }))).toEqual(['c21', 'c20', 'c19', 'c18'])
    expect(ids(await getConversations({ size: '100' }))).toHaveLength(25)
    expect(ids(await getConversations({ page: '4' }))).toEqual([])
  })

  it.each([
    [{ size: '101' }, 'size', 'Number must be less than or equal to 100'],
    [{ size: '0' }, 'size', 'Number must be greater than or equal to 1'],
    [{ page: '0' }, 'page', 'Number must be greater than or equal to 1'],
    [{ size: 'ten' }, 'size', "Expected integer, received 'ten'"],
  ])('answers 400 to %o', async (query, field, message) => {
    const reply = await getConversations(query)
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({ message: 'Invalid request parameters', issues: [{ field, message }] })
  })

  it('answers 400 without chatbotId, 404 for an unknown chatbot and 401 without the key', async () => {
    const missing = await api('GET', '/get-conversations')
    expect(missing.status).toBe(400)
    expect(missing.json.issues).toEqual([{ field: 'chatbotId', message: 'Required' }])
    const unknown = await getConversations({ chatbotId: 'no-such-bot' })
    expect(unknown).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
    const anonymous = await api('GET', '/get-conversations', { query: { chatbotId: CHATBOT }, authorization: null })
    expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
  })
})
