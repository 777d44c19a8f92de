import { createHmac } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  leadWebhook,
  signWebhookBody,
  startChatbaseEmulator,
  type ChatbaseEmulator,
  type StoredChatbot,
  type StoredContact,
} from './index'
import { pngImage } from '../file-host'

const CHATBOT = 'emulator-chatbot'
const CONTACTS = `/chatbots/${CHATBOT}/contacts`

let emulator: ChatbaseEmulator

beforeAll(async () => {
  emulator = await startChatbaseEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

// Response bodies are whatever JSON the emulator sent; the assertions check their shape.
type Body = any
type Reply = { status: number; headers: Headers; text: string; json: Body }

async function api(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; authorization?: string | null; query?: Record<string, string> } = {}
): Promise<Reply> {
  const url = new URL(emulator.url + path)
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const authorization = options.authorization === undefined ? `Bearer ${emulator.apiKey}` : options.authorization
  if (authorization !== null) headers.authorization = authorization
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  const response = await fetch(url, { method, headers, body })
  const text = await response.text()
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false
  return { status: response.status, headers: response.headers, text, json: isJson ? JSON.parse(text) : undefined }
}

async function createContacts(users: unknown[]): Promise<StoredContact[]> {
  const reply = await api('POST', CONTACTS, { body: { users } })
  expect(reply.status).toBe(200)
  return reply.json.data.created
}

describe('server basics', () => {
  it('serves under /api/v1 on a random local port', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/)
    expect(emulator.apiKey).toBe('emulator-secret-key')
  })

  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'Bearer not-the-key'],
    ['the key without Bearer', 'emulator-secret-key'],
    ['a lower-case scheme', 'bearer emulator-secret-key'],
  ])('answers 401 to %s', async (_case, authorization) => {
    const reply = await api('GET', CONTACTS, { authorization })
    expect(reply.status).toBe(401)
    expect(reply.json).toEqual({ message: 'Unauthorized access' })
  })

  it('answers 404 Not found to unknown routes and paths outside /api/v1', async () => {
    expect(await api('GET', '/nothing-here')).toMatchObject({ status: 404, json: { message: 'Not found' } })
    expect(await api('DELETE', '/chat')).toMatchObject({ status: 404, json: { message: 'Not found' } })
    const outside = await fetch(emulator.url.replace('/api/v1', '/chat'), { method: 'POST' })
    expect(outside.status).toBe(404)
    expect(await outside.json()).toEqual({ message: 'Not found' })
  })

  it('answers 404 Chatbot not found for an unknown chatbot', async () => {
    const reply = await api('GET', '/chatbots/no-such-bot/contacts')
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ message: 'Chatbot not found' })
  })

  it('records every request, rejected ones too, without the /api/v1 prefix', async () => {
    await api('GET', CONTACTS, { query: { page: '1' }, authorization: null })
    await api('POST', '/chat', { rawBody: '{"x":1}' })
    expect(emulator.requests).toHaveLength(2)
    expect(emulator.requests[0]).toMatchObject({ method: 'GET', path: CONTACTS, query: { page: '1' }, body: '' })
    expect(emulator.requests[0]?.headers.authorization).toBeUndefined()
    expect(emulator.requests[1]).toMatchObject({ method: 'POST', path: '/chat', body: '{"x":1}' })
    expect(emulator.requests[1]?.headers.authorization).toBe('Bearer emulator-secret-key')
  })

  it('takes its api key and chatbots from the options', async () => {
    const other = await startChatbaseEmulator({ apiKey: 'other-key', chatbotIds: ['bot-a'] })
    try {
      expect(other.url).not.toBe(emulator.url)
      const ok = await fetch(`${other.url}/chatbots/bot-a/contacts`, { headers: { authorization: 'Bearer other-key' } })
      expect(ok.status).toBe(200)
      const unknownBot = await fetch(`${other.url}${CONTACTS}`, { headers: { authorization: 'Bearer other-key' } })
      expect(unknownBot.status).toBe(404)
    } finally {
      await other.close()
    }
  })

  it('reset() clears requests, store and faults but keeps chatbots', async () => {
    emulator.addChatbot('extra-bot')
    emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
    await createContacts([{ external_id: 'a', custom_attributes: { plan: 'pro' } }])
    emulator.addLead(CHATBOT, { name: 'Ann' })
    emulator.injectFault({ status: 500 })
    emulator.reset()

    expect(emulator.requests).toEqual([])
    expect(emulator.contacts(CHATBOT)).toEqual([])
    expect(emulator.contacts('extra-bot')).toEqual([])
    const leads = await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })
    expect(leads).toMatchObject({ status: 200, json: { data: [] } })
    const [contact] = await createContacts([{ external_id: 'b', custom_attributes: { plan: 'pro' } }])
    expect(contact?.custom_attributes).toEqual({}) // the attribute is gone, so the value is stripped
  })

  it('answers 400 to malformed JSON', async () => {
    const reply = await api('POST', CONTACTS, { rawBody: '{"users": [' })
    expect(reply.status).toBe(400)
    expect(reply.json.message).toBe('Invalid request body')
  })
})

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
    ['a bad role', { messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role', expect.stringContaining("'system'")],
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

describe('GET /get-leads', () => {
  const getLeads = (query: Record<string, string>) => api('GET', '/get-leads', { query: { chatbotId: CHATBOT, ...query } })

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
    for (const createdAt of ['2024-01-09T23:59:59Z', '2024-01-10T00:00:00Z', '2024-01-12T23:59:59Z', '2024-01-13T00:00:00Z']) {
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
    expect(await getLeads({ chatbotId: 'no-such-bot' })).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
  })
})

describe('contacts', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('POST /chatbots/{chatbotId}/contacts', () => {
    it('creates contacts, filling absent fields with null, [] and {}', async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'))
      const reply = await api('POST', CONTACTS, {
        body: {
          users: [{ external_id: 'ext-1' }, { external_id: 'ext-2', name: 'Bo', email: 'bo@example.com', phonenumber: '+1555' }],
        },
      })
      expect(reply.status).toBe(200)
      expect(reply.json.message).toBe('Success')
      const [first, second] = reply.json.data.created
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        external_id: 'ext-1',
        name: null,
        email: null,
        phonenumber: null,
        stripe_accounts: [],
        custom_attributes: {},
        created_at: 1704067200,
        updated_at: 1704067200,
      })
      expect(second).toMatchObject({ external_id: 'ext-2', name: 'Bo', email: 'bo@example.com', phonenumber: '+1555' })
      expect(first.id).not.toBe(second.id)
      expect(emulator.contacts(CHATBOT)).toEqual([first, second])
    })

    it('silently strips unknown top-level fields', async () => {
      const [contact] = await createContacts([{ external_id: 'ext-1', unknown_field: 'x', id: 'mine' }])
      expect(contact).not.toHaveProperty('unknown_field')
      expect(contact?.id).not.toBe('mine')
    })

    it.each([
      ['no users', {}, 'users', 'Required'],
      ['an empty users array', { users: [] }, 'users', 'Array must contain at least 1 element(s)'],
      [
        '1001 users',
        { users: Array.from({ length: 1001 }, (_, i) => ({ external_id: `e${i}` })) },
        'users',
        'Array must contain at most 1000 element(s)',
      ],
      ['a user without external_id', { users: [{ name: 'x' }] }, 'users.0.external_id', 'Required'],
      ['a numeric external_id', { users: [{ external_id: 7 }] }, 'users.0.external_id', 'Expected string, received number'],
      ['a numeric email', { users: [{ external_id: 'e', email: 5 }] }, 'users.0.email', 'Expected string, received number'],
    ])('answers 400 to %s', async (_case, body, field, message) => {
      const reply = await api('POST', CONTACTS, { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('accepts exactly 1000 users', async () => {
      const users = Array.from({ length: 1000 }, (_, i) => ({ external_id: `e${i}` }))
      expect(await createContacts(users)).toHaveLength(1000)
    })

    it('answers 409 to an email another contact already has, storing nothing', async () => {
      await createContacts([{ external_id: 'a', email: 'taken@example.com' }])
      const reply = await api('POST', CONTACTS, {
        body: { users: [{ external_id: 'b', email: 'free@example.com' }, { external_id: 'c', email: 'taken@example.com' }] },
      })
      expect(reply.status).toBe(409)
      expect(reply.json).toEqual({ message: 'Email already exists' })
      expect(emulator.contacts(CHATBOT).map((contact) => contact.external_id)).toEqual(['a'])
    })

    it('answers 409 to the same email twice in one batch', async () => {
      const reply = await api('POST', CONTACTS, {
        body: { users: [{ external_id: 'a', email: 'same@example.com' }, { external_id: 'b', email: 'same@example.com' }] },
      })
      expect(reply.status).toBe(409)
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('keeps emails unique per chatbot only', async () => {
      emulator.addChatbot('other-bot')
      await createContacts([{ external_id: 'a', email: 'shared@example.com' }])
      const body = { users: [{ external_id: 'a', email: 'shared@example.com' }] }
      const reply = await api('POST', '/chatbots/other-bot/contacts', { body })
      expect(reply.status).toBe(200)
    })

    it('answers 404 for an unknown chatbot', async () => {
      const reply = await api('POST', '/chatbots/no-such-bot/contacts', { body: { users: [{ external_id: 'a' }] } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
    })
  })

  describe('custom attributes', () => {
    beforeEach(() => {
      emulator.addCustomAttribute(CHATBOT, { name: 'company', type: 'text' })
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'is_active', type: 'boolean' })
      emulator.addCustomAttribute(CHATBOT, { name: 'join_date', type: 'date' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
    })

    it('stores known attributes and silently strips unknown ones', async () => {
      const [contact] = await createContacts([
        { external_id: 'a', custom_attributes: { company: 'Acme Inc', age: 30, is_active: false, unknown_attr: 'x' } },
      ])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme Inc', age: 30, is_active: false })
    })

    it('coerces booleans and dates as documented', async () => {
      const [truthy, falsy] = await createContacts([
        { external_id: 'a', custom_attributes: { is_active: 'true', join_date: '2023-01-15' } },
        { external_id: 'b', custom_attributes: { is_active: 0 } },
      ])
      expect(truthy?.custom_attributes).toEqual({ is_active: true, join_date: '2023-01-15T00:00:00.000Z' })
      expect(falsy?.custom_attributes).toEqual({ is_active: false })
    })

    it.each([
      ['a string for a number', { age: 'invalid' }, 'custom_attributes.age', 'Expected number, received string'],
      ['a number for text', { company: 42 }, 'custom_attributes.company', 'Expected string, received number'],
      ['"yes" for a boolean', { is_active: 'yes' }, 'custom_attributes.is_active', 'Expected boolean, received string'],
      ['a non-date for a date', { join_date: 'not a date' }, 'custom_attributes.join_date', 'Invalid date'],
      ['an archived attribute', { old_field: 'value' }, 'custom_attributes.old_field', expect.stringContaining('archived')],
    ])('answers 400 to %s', async (_case, customAttributes, field, message) => {
      const reply = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', custom_attributes: customAttributes }] } })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('lets an archived attribute be set to null', async () => {
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { old_field: null } }])
      expect(contact?.custom_attributes).toEqual({ old_field: null })
    })

    it('answers 400 when custom_attributes is not an object', async () => {
      const reply = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', custom_attributes: ['x'] }] } })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([{ field: 'users.0.custom_attributes', message: 'Expected object, received array' }])
    })
  })

  describe('stripe accounts', () => {
    it('accepts a label with stripe_id, stripe_email or both', async () => {
      const accounts = [
        { label: 'Team 1', stripe_id: 'cus_1', stripe_email: 'one@example.com' },
        { label: 'Team 2', stripe_id: 'cus_2' },
        { label: 'Team 3', stripe_email: 'three@example.com' },
      ]
      const [contact] = await createContacts([{ external_id: 'a', stripe_accounts: accounts }])
      expect(contact?.stripe_accounts).toEqual(accounts)
    })

    it.each([
      [
        'neither stripe_id nor stripe_email',
        { label: 'Team' },
        'users.0.stripe_accounts.0',
        'Either stripe_id or stripe_email is required',
      ],
      ['no label', { stripe_id: 'cus_1' }, 'users.0.stripe_accounts.0.label', 'Required'],
    ])('answers 400 to an account with %s', async (_case, account, field, message) => {
      const reply = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', stripe_accounts: [account] }] } })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([{ field, message }])
    })
  })

  describe('GET /chatbots/{chatbotId}/contacts/{contactId}', () => {
    it('answers the contact', async () => {
      const [contact] = await createContacts([{ external_id: 'a', name: 'Ann' }])
      const reply = await api('GET', `${CONTACTS}/${contact?.id}`)
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ message: 'Success', data: contact })
    })

    it('answers 404 Contact not found for an unknown id, and Chatbot not found for an unknown chatbot', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const unknownContact = await api('GET', `${CONTACTS}/no-such-contact`)
      expect(unknownContact).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      emulator.addChatbot('other-bot')
      const elsewhere = await api('GET', `/chatbots/other-bot/contacts/${contact?.id}`)
      expect(elsewhere).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const unknownBot = await api('GET', `/chatbots/no-such-bot/contacts/${contact?.id}`)
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
    })
  })

  describe('GET /chatbots/{chatbotId}/contacts', () => {
    const list = (query: Record<string, string> = {}) => api('GET', CONTACTS, { query })

    it('answers an empty first page when there are no contacts', async () => {
      const reply = await list()
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ message: 'Success', data: [], total: 0, pages: { page: 1, per_page: 100, total_pages: 0 } })
    })

    it('pages with per_page and page, in creation order', async () => {
      await createContacts(Array.from({ length: 25 }, (_, i) => ({ external_id: `e${i + 1}` })))
      const ids = (reply: Reply) => reply.json.data.map((contact: StoredContact) => contact.external_id)

      const all = await list()
      expect(all.json.total).toBe(25)
      expect(all.json.pages).toEqual({ page: 1, per_page: 100, total_pages: 1 })
      expect(ids(all)).toHaveLength(25)

      const third = await list({ per_page: '10', page: '3' })
      expect(third.json.pages).toEqual({ page: 3, per_page: 10, total_pages: 3 })
      expect(third.json.total).toBe(25)
      expect(ids(third)).toEqual(['e21', 'e22', 'e23', 'e24', 'e25'])
    })

    it.each([
      [{ per_page: '9' }, 'per_page', 'Number must be greater than or equal to 10'],
      [{ per_page: '1001' }, 'per_page', 'Number must be less than or equal to 1000'],
      [{ page: '0' }, 'page', 'Number must be greater than or equal to 1'],
      [{ page: 'two' }, 'page', "Expected integer, received 'two'"],
    ])('answers 400 to %o', async (query, field, message) => {
      const reply = await list(query)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request parameters', issues: [{ field, message }] })
    })

    it('accepts the per_page bounds 10 and 1000', async () => {
      expect((await list({ per_page: '10' })).status).toBe(200)
      expect((await list({ per_page: '1000' })).status).toBe(200)
    })

    it('answers 400 to a page beyond the last', async () => {
      await createContacts(Array.from({ length: 11 }, (_, i) => ({ external_id: `e${i}` })))
      expect((await list({ per_page: '10', page: '2' })).status).toBe(200)
      const reply = await list({ per_page: '10', page: '3' })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([{ field: 'page', message: 'Page number out of range' }])
    })
  })

  describe('PATCH /chatbots/{chatbotId}/contacts/{contactId}', () => {
    const patch = (contactId: string | undefined, body: unknown) => api('PATCH', `${CONTACTS}/${contactId}`, { body })

    it('updates the given fields, merges custom attributes and moves updated_at', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'location', type: 'text' })
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'))
      const [contact] = await createContacts([
        { external_id: 'a', name: 'John Doe', phonenumber: '+1', custom_attributes: { age: 30, location: 'New York' } },
      ])
      vi.setSystemTime(new Date('2024-01-01T00:01:30Z'))

      const reply = await patch(contact?.id, {
        data: { name: 'John Smith', email: 'john@example.com', external_id: 'changed', custom_attributes: { age: 31 } },
      })
      expect(reply.status).toBe(200)
      const expected = {
        ...contact,
        name: 'John Smith',
        email: 'john@example.com',
        custom_attributes: { age: 31, location: 'New York' },
        created_at: 1704067200,
        updated_at: 1704067290,
      }
      expect(reply.json).toEqual({ message: 'Success', data: expected })
      expect(emulator.contacts(CHATBOT)).toEqual([expected])
    })

    it('replaces stripe accounts and validates them', async () => {
      const [contact] = await createContacts([{ external_id: 'a', stripe_accounts: [{ label: 'Old', stripe_id: 'cus_old' }] }])
      const reply = await patch(contact?.id, { data: { stripe_accounts: [{ label: 'New', stripe_email: 'new@example.com' }] } })
      expect(reply.json.data.stripe_accounts).toEqual([{ label: 'New', stripe_email: 'new@example.com' }])
      const bad = await patch(contact?.id, { data: { stripe_accounts: [{ label: 'No ids' }] } })
      expect(bad.status).toBe(400)
      expect(bad.json.issues).toEqual([
        { field: 'data.stripe_accounts.0', message: 'Either stripe_id or stripe_email is required' },
      ])
    })

    it.each([
      ['no data', {}, 'Required'],
      ['data as an array', { data: [] }, 'Expected object, received array'],
      ['data as a string', { data: 'name' }, 'Expected object, received string'],
    ])('answers 400 to %s', async (_case, body, message) => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const reply = await patch(contact?.id, body)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field: 'data', message }] })
    })

    it('validates custom attributes like creation does', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { age: 30 } }])
      const wrongType = await patch(contact?.id, { data: { custom_attributes: { age: 'old' } } })
      expect(wrongType.json.issues).toEqual([{ field: 'custom_attributes.age', message: 'Expected number, received string' }])
      const archived = await patch(contact?.id, { data: { custom_attributes: { old_field: 'x' } } })
      expect(archived.status).toBe(400)
      const unknown = await patch(contact?.id, { data: { custom_attributes: { nope: 1 } } })
      expect(unknown.json.data.custom_attributes).toEqual({ age: 30 })
    })

    it("answers 409 to another contact's email but accepts the contact's own", async () => {
      const [ann, bo] = await createContacts([
        { external_id: 'a', email: 'ann@example.com' },
        { external_id: 'b', email: 'bo@example.com' },
      ])
      const conflict = await patch(bo?.id, { data: { email: 'ann@example.com', name: 'Bo' } })
      expect(conflict).toMatchObject({ status: 409, json: { message: 'Email already exists' } })
      expect(emulator.contacts(CHATBOT)[1]).toMatchObject({ email: 'bo@example.com', name: null })
      expect((await patch(ann?.id, { data: { email: 'ann@example.com' } })).status).toBe(200)
    })

    it('clears name, email and phone number given as null, which creation refuses', async () => {
      const [ann, bo] = await createContacts([
        { external_id: 'a', name: 'Ann', email: 'ann@example.com', phonenumber: '+1' },
        { external_id: 'b', name: 'Bo' },
      ])
      const reply = await patch(ann?.id, { data: { name: null, email: null, phonenumber: null } })
      expect(reply.json.data).toMatchObject({ name: null, email: null, phonenumber: null })
      // a cleared email is no one's: another contact may take it, and clearing never conflicts
      expect((await patch(bo?.id, { data: { email: 'ann@example.com' } })).status).toBe(200)
      expect((await patch(ann?.id, { data: { email: null } })).status).toBe(200)
      const created = await api('POST', CONTACTS, { body: { users: [{ external_id: 'c', name: null }] } })
      expect(created.json.issues).toEqual([{ field: 'users.0.name', message: 'Expected string, received null' }])
    })

    it('answers 404 for an unknown contact', async () => {
      const reply = await patch('no-such-contact', { data: { name: 'x' } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
    })
  })

  describe('DELETE /chatbots/{chatbotId}/contacts/{contactId}', () => {
    it('answers 204 without a body and removes only that contact', async () => {
      const [ann, bo] = await createContacts([{ external_id: 'a' }, { external_id: 'b' }])
      const reply = await api('DELETE', `${CONTACTS}/${ann?.id}`)
      expect(reply.status).toBe(204)
      expect(reply.text).toBe('')
      expect(emulator.contacts(CHATBOT)).toEqual([bo])
      expect(await api('GET', `${CONTACTS}/${ann?.id}`)).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      expect((await api('GET', CONTACTS)).json.total).toBe(1)
    })

    it('frees the email for a new contact', async () => {
      const [ann] = await createContacts([{ external_id: 'a', email: 'ann@example.com' }])
      await api('DELETE', `${CONTACTS}/${ann?.id}`)
      expect(await createContacts([{ external_id: 'b', email: 'ann@example.com' }])).toHaveLength(1)
    })

    it('answers 404 for an unknown contact, a contact of another chatbot and an unknown chatbot', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      emulator.addChatbot('other-bot')
      const unknownContact = await api('DELETE', `${CONTACTS}/no-such-contact`)
      expect(unknownContact).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const elsewhere = await api('DELETE', `/chatbots/other-bot/contacts/${contact?.id}`)
      expect(elsewhere).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const unknownBot = await api('DELETE', `/chatbots/no-such-bot/contacts/${contact?.id}`)
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      expect(emulator.contacts(CHATBOT)).toEqual([contact])
    })

    it('answers 401 without the key and deletes nothing', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const reply = await api('DELETE', `${CONTACTS}/${contact?.id}`, { authorization: null })
      expect(reply).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect(emulator.contacts(CHATBOT)).toHaveLength(1)
    })
  })
})

describe('faults', () => {
  const chat = () => api('POST', '/chat', { body: { chatbotId: CHATBOT, messages: [{ role: 'user', content: 'hi' }] } })

  it('answers a status with a documented-style JSON message by default', async () => {
    emulator.injectFault({ status: 429 })
    const reply = await chat()
    expect(reply.status).toBe(429)
    expect(reply.json).toEqual({ message: 'Rate limit exceeded' })
    expect(emulator.requests).toHaveLength(1)
    expect((await chat()).status).toBe(200) // times defaults to 1
  })

  it('answers the given raw body and headers, e.g. an HTML error page', async () => {
    const page = '<html><body>Bad Gateway</body></html>'
    emulator.injectFault({ status: 502, body: page, headers: { 'content-type': 'text/html' } })
    const reply = await chat()
    expect(reply.status).toBe(502)
    expect(reply.headers.get('content-type')).toBe('text/html')
    expect(reply.text).toBe(page)
  })

  it('sends extra headers such as retry-after', async () => {
    emulator.injectFault({ status: 429, headers: { 'retry-after': '1' } })
    const reply = await chat()
    expect(reply.headers.get('retry-after')).toBe('1')
    expect(reply.json).toEqual({ message: 'Rate limit exceeded' })
  })

  it('applies `times` times, then drops the fault', async () => {
    emulator.injectFault({ status: 500, times: 2 })
    expect((await chat()).status).toBe(500)
    expect((await chat()).status).toBe(500)
    expect((await chat()).status).toBe(200)
  })

  it('matches only the given method and path (string or RegExp), first matching fault first', async () => {
    emulator.injectFault({ method: 'get', path: /^\/chatbots\/[^/]+\/contacts$/, status: 503 })
    emulator.injectFault({ path: '/chat', status: 418 })
    emulator.injectFault({ path: '/chat', status: 500 })
    expect((await api('POST', CONTACTS, { body: { users: [{ external_id: 'a' }] } })).status).toBe(200)
    expect((await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })).status).toBe(200)
    expect((await chat()).status).toBe(418)
    expect((await api('GET', CONTACTS)).status).toBe(503)
    expect((await chat()).status).toBe(500)
    expect((await chat()).status).toBe(200)
  })

  it('delays the normal answer', async () => {
    const delayMs = 150
    emulator.injectFault({ path: '/chat', delayMs })
    const started = performance.now()
    const reply = await chat()
    expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs)
    expect(reply.status).toBe(200)
    expect(reply.json.text).toContain('"hi"')
  })

  it('delays a fault answer', async () => {
    const delayMs = 100
    emulator.injectFault({ delayMs, status: 500 })
    const started = performance.now()
    const reply = await chat()
    expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs)
    expect(reply.status).toBe(500)
  })

  it('resets the connection without answering, and still records the request', async () => {
    emulator.injectFault({ resetConnection: true })
    await expect(chat()).rejects.toThrow(TypeError)
    expect(emulator.requests).toHaveLength(1)
    expect(emulator.requests[0]?.path).toBe('/chat')
    expect((await chat()).status).toBe(200)
  })

  it('with afterHandling, acts on the request and then loses the answer', async () => {
    const users = [{ external_id: 'acted-1' }]
    emulator.injectFault({ method: 'POST', path: `/chatbots/${CHATBOT}/contacts`, status: 502, afterHandling: true })
    const lost = await api('POST', `/chatbots/${CHATBOT}/contacts`, { body: { users } })
    expect(lost.status).toBe(502)
    expect(emulator.contacts(CHATBOT).map((contact) => contact.external_id)).toEqual(['acted-1'])

    emulator.injectFault({ method: 'POST', path: `/chatbots/${CHATBOT}/contacts`, resetConnection: true, afterHandling: true })
    await expect(api('POST', `/chatbots/${CHATBOT}/contacts`, { body: { users: [{ external_id: 'acted-2' }] } })).rejects.toThrow(TypeError)
    expect(emulator.contacts(CHATBOT).map((contact) => contact.external_id)).toEqual(['acted-1', 'acted-2'])
  })

  it('without afterHandling, answers before acting', async () => {
    emulator.injectFault({ method: 'POST', path: `/chatbots/${CHATBOT}/contacts`, status: 502 })
    expect((await api('POST', `/chatbots/${CHATBOT}/contacts`, { body: { users: [{ external_id: 'never' }] } })).status).toBe(502)
    expect(emulator.contacts(CHATBOT)).toEqual([])
  })

  it('applies before auth and routing', async () => {
    emulator.injectFault({ status: 500 })
    expect((await api('GET', '/unknown', { authorization: null })).status).toBe(500)
  })

  it('rejects a non-positive times', () => {
    expect(() => emulator.injectFault({ status: 500, times: 0 })).toThrow()
  })
})

describe('webhooks', () => {
  it('signs with hex HMAC-SHA1 of the raw body', () => {
    // RFC 2202 test case 2
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79')
    const body = '{"eventType":"leads.submit","chatbotId":"x","payload":{"conversationId":"c"}}'
    expect(signWebhookBody(body, 'secret')).toBe(createHmac('sha1', 'secret').update(body).digest('hex'))
    expect(signWebhookBody(body, 'other-secret')).not.toBe(signWebhookBody(body, 'secret'))
  })

  it('builds a signed leads.submit delivery', () => {
    const payload = { conversationId: 'conv-1', customerEmail: 'ann@example.com', customerName: 'Ann', customerPhone: '+1555' }
    const delivery = leadWebhook({ chatbotId: CHATBOT, payload }, 'whsec')
    expect(JSON.parse(delivery.body)).toEqual({ eventType: 'leads.submit', chatbotId: CHATBOT, payload })
    expect(delivery.body).toBe(
      `{"eventType":"leads.submit","chatbotId":"${CHATBOT}","payload":{"conversationId":"conv-1",` +
        '"customerEmail":"ann@example.com","customerName":"Ann","customerPhone":"+1555"}}'
    )
    expect(delivery.headers).toEqual({
      'content-type': 'application/json',
      'x-chatbase-signature': createHmac('sha1', 'whsec').update(delivery.body).digest('hex'),
    })
  })

  it('leaves out absent customer fields', () => {
    const delivery = leadWebhook({ chatbotId: CHATBOT, payload: { conversationId: 'conv-1', customerEmail: 'a@b.c' } }, 'k')
    expect(JSON.parse(delivery.body).payload).toEqual({ conversationId: 'conv-1', customerEmail: 'a@b.c' })
  })
})

describe('custom attributes endpoints', () => {
  const ATTRIBUTES = `/chatbots/${CHATBOT}/custom-attributes`
  const company = { name: 'company', type: 'text', label: 'Company Name', description: "User's company name" }
  const create = (body: unknown) => api('POST', ATTRIBUTES, { body })
  const update = (name: string, body: unknown) => api('PUT', `${ATTRIBUTES}/${name}`, { body })
  const listed = async () => (await api('GET', ATTRIBUTES)).json.data

  describe('GET /chatbots/{chatbotId}/custom-attributes', () => {
    it('answers an empty list, then the attributes in creation order, with addCustomAttribute ones', async () => {
      expect(await api('GET', ATTRIBUTES)).toMatchObject({ status: 200, json: { message: 'Success', data: [] } })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number', label: 'Age' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
      const reply = await api('GET', ATTRIBUTES)
      expect(reply.json).toEqual({
        message: 'Success',
        data: [
          { name: 'plan', type: 'text', label: 'plan', archived: false },
          { name: 'age', type: 'number', label: 'Age', archived: false },
          { name: 'old_field', type: 'text', label: 'old_field', archived: true },
        ],
      })
    })

    it('keeps attributes per chatbot', async () => {
      emulator.addChatbot('other-bot')
      emulator.addCustomAttribute('other-bot', { name: 'plan', type: 'text' })
      expect(await listed()).toEqual([])
    })
  })

  describe('POST /chatbots/{chatbotId}/custom-attributes', () => {
    it('creates the attribute as documented, lists it and lets contacts use it', async () => {
      const reply = await create(company)
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ message: 'Success', data: { ...company, archived: false } })
      expect(await listed()).toEqual([{ ...company, archived: false }])
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { company: 'Acme Inc' } }])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme Inc' })
    })

    it('leaves description out when none is given, and takes every documented type', async () => {
      for (const type of ['text', 'number', 'boolean', 'date']) {
        const reply = await create({ name: `field_${type}`, type, label: type })
        expect(reply.json.data).toEqual({ name: `field_${type}`, type, label: type, archived: false })
      }
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { field_number: 3, field_boolean: 'true' } }])
      expect(contact?.custom_attributes).toEqual({ field_number: 3, field_boolean: true })
    })

    it.each(['a', 'plan_2', 'x_1_y', 'trailing_'])('accepts the name %s', async (name) => {
      expect((await create({ name, type: 'text', label: 'L' })).status).toBe(200)
    })

    const nameFormat = 'Invalid field name format: only lowercase letters, numbers and underscores, starting with a letter'
    it.each([
      ['no name', { name: undefined }, 'name', 'Required'],
      ['a numeric name', { name: 5 }, 'name', 'Expected string, received number'],
      ['an upper-case letter', { name: 'Company' }, 'name', nameFormat],
      ['a leading digit', { name: '1st_plan' }, 'name', nameFormat],
      ['a leading underscore', { name: '_plan' }, 'name', nameFormat],
      ['a dash', { name: 'my-plan' }, 'name', nameFormat],
      ['a space', { name: 'my plan' }, 'name', nameFormat],
      ['an empty name', { name: '' }, 'name', nameFormat],
      ['a reserved name', { name: 'email' }, 'name', 'Reserved field name used: "email"'],
      ['another reserved name', { name: 'external_id' }, 'name', 'Reserved field name used: "external_id"'],
      ['an unknown type', { type: 'string' }, 'type', 'Invalid type. Must be one of: text, number, boolean, date'],
      ['no type', { type: undefined }, 'type', 'Required'],
      ['no label', { label: undefined }, 'label', 'Required'],
      ['a numeric description', { description: 1 }, 'description', 'Expected string, received number'],
    ])('answers 400 to %s', async (_case, override, field, message) => {
      const reply = await create({ ...company, ...override })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listed()).toEqual([])
    })

    it('answers 400 to a name already taken (via the API or addCustomAttribute), keeping the original', async () => {
      expect((await create(company)).status).toBe(200)
      const again = await create({ ...company, type: 'number', label: 'Other' })
      expect(again.status).toBe(400)
      expect(again.json).toEqual({
        message: 'Invalid request body',
        issues: [{ field: 'name', message: 'Custom attribute "company" already exists' }],
      })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      expect((await create({ name: 'plan', type: 'text', label: 'Plan' })).status).toBe(400)
      expect(await listed()).toEqual([
        { ...company, archived: false },
        { name: 'plan', type: 'text', label: 'plan', archived: false },
      ])
    })

    it('allows the same name on another chatbot', async () => {
      emulator.addChatbot('other-bot')
      await create(company)
      const reply = await api('POST', '/chatbots/other-bot/custom-attributes', { body: company })
      expect(reply.status).toBe(200)
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      const unknown = await api('POST', '/chatbots/no-such-bot/custom-attributes', { body: company })
      expect(unknown).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('POST', ATTRIBUTES, { body: company, authorization: null })
      expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect(await listed()).toEqual([])
    })

    it('keeps addCustomAttribute rejecting bad and reserved names', () => {
      expect(() => emulator.addCustomAttribute(CHATBOT, { name: 'Bad', type: 'text' })).toThrow()
      expect(() => emulator.addCustomAttribute(CHATBOT, { name: 'name', type: 'text' })).toThrow()
    })
  })

  describe('PUT /chatbots/{chatbotId}/custom-attributes/{name}', () => {
    beforeEach(async () => {
      expect((await create(company)).status).toBe(200)
    })

    it('updates label and description, never name or type', async () => {
      const reply = await update('company', { label: 'Updated Label', description: 'Updated description', type: 'number', name: 'x' })
      expect(reply.status).toBe(200)
      const expected = { name: 'company', type: 'text', label: 'Updated Label', description: 'Updated description', archived: false }
      expect(reply.json).toEqual({ message: 'Success', data: expected })
      expect(await listed()).toEqual([expected])
    })

    it('archives: contacts can then only set the attribute to null; unarchiving makes it usable again', async () => {
      const archived = await update('company', { archived: true })
      expect(archived.json.data).toEqual({ ...company, archived: true })
      const rejected = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', custom_attributes: { company: 'Acme' } }] } })
      expect(rejected.status).toBe(400)
      expect(rejected.json.issues).toEqual([{ field: 'custom_attributes.company', message: 'Custom attribute "company" is archived' }])
      const [cleared] = await createContacts([{ external_id: 'b', custom_attributes: { company: null } }])
      expect(cleared?.custom_attributes).toEqual({ company: null })

      expect((await update('company', { archived: false })).json.data.archived).toBe(false)
      const [contact] = await createContacts([{ external_id: 'c', custom_attributes: { company: 'Acme' } }])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme' })
    })

    it('un-archives when archived is left out (documented default false)', async () => {
      await update('company', { archived: true })
      const reply = await update('company', { label: 'Relabelled' })
      expect(reply.json.data).toEqual({ ...company, label: 'Relabelled', archived: false })
    })

    it('updates attributes added with addCustomAttribute too', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      const reply = await update('plan', { archived: true, description: 'The plan' })
      expect(reply.json.data).toEqual({ name: 'plan', type: 'text', label: 'plan', description: 'The plan', archived: true })
    })

    it.each([
      ['a string archived', { archived: 'yes' }, 'archived', 'Expected boolean, received string'],
      ['a numeric label', { label: 5 }, 'label', 'Expected string, received number'],
      ['a null description', { description: null }, 'description', 'Expected string, received null'],
    ])('answers 400 to %s, changing nothing', async (_case, body, field, message) => {
      const reply = await update('company', body)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listed()).toEqual([{ ...company, archived: false }])
    })

    it('answers 404 Custom attribute not found, Chatbot not found, and 401 without the key', async () => {
      expect(await update('nope', { label: 'x' })).toMatchObject({ status: 404, json: { message: 'Custom attribute not found' } })
      const unknownBot = await api('PUT', '/chatbots/no-such-bot/custom-attributes/company', { body: { label: 'x' } })
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('PUT', `${ATTRIBUTES}/company`, { body: { label: 'x' }, authorization: null })
      expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect((await listed())[0].label).toBe('Company Name')
    })

    it('has no way to delete an attribute', async () => {
      expect(await api('DELETE', `${ATTRIBUTES}/company`)).toMatchObject({ status: 404, json: { message: 'Not found' } })
      expect(await listed()).toHaveLength(1)
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
    expect(Object.keys(reply.json.data[0])).toEqual(['id', 'created_at', 'messages', 'chatbot_id', 'customer', 'source'])
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
    await api('POST', '/chat', { body: { chatbotId: 'other-bot', messages: [{ role: 'user', content: 'x' }], conversationId: 'c' } })
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
    for (const createdAt of ['2024-01-09T23:59:59Z', '2024-01-10T00:00:00Z', '2024-01-12T23:59:59Z', '2024-01-13T00:00:00Z']) {
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
    expect((await getConversations({ endDate: date })).json.issues).toEqual([{ field: 'endDate', message: expect.any(String) }])
  })

  it('pages with page and size (default 10), newest first', async () => {
    for (let day = 1; day <= 25; day++) {
      const id = `c${day}`
      emulator.addConversation(CHATBOT, { id, createdAt: `2024-05-${String(day).padStart(2, '0')}T12:00:00Z`, messages: [] })
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

describe('chatbots', () => {
  const listChatbots = async (): Promise<StoredChatbot[]> => (await api('GET', '/get-chatbots')).json.chatbots
  const createChatbot = async (body: unknown): Promise<string> => {
    const reply = await api('POST', '/create-chatbot', { body })
    expect(reply.status).toBe(200)
    return reply.json.chatbotId
  }

  describe('GET /get-chatbots', () => {
    it("answers { chatbots } with every chatbot's parameters", async () => {
      const reply = await api('GET', '/get-chatbots')
      expect(reply.status).toBe(200)
      expect(Object.keys(reply.json)).toEqual(['chatbots'])
      const listed = reply.json.chatbots.find((chatbot: StoredChatbot) => chatbot.id === CHATBOT)
      expect(listed).toEqual(emulator.chatbot(CHATBOT))
      expect(listed).toMatchObject({
        id: CHATBOT,
        name: CHATBOT,
        sourceText: null,
        visibility: 'private',
        model: 'gpt-4o-mini',
        temp: 0,
        styles: { theme: 'light', alignChatButton: 'right' },
        collectCustomerInformation: { name: { label: 'Name', active: false } },
      })
    })

    it('lists chatbots added with addChatbot and created through the API', async () => {
      emulator.addChatbot('listed-bot')
      const created = await createChatbot({ chatbotName: 'Support' })
      const ours = [CHATBOT, 'listed-bot', created]
      const listed = (await listChatbots()).filter((chatbot) => ours.includes(chatbot.id))
      expect(listed.map((chatbot) => [chatbot.id, chatbot.name])).toEqual([
        [CHATBOT, CHATBOT],
        ['listed-bot', 'listed-bot'],
        [created, 'Support'],
      ])
    })

    it('answers 401 without the key', async () => {
      expect(await api('GET', '/get-chatbots', { authorization: null })).toMatchObject({ status: 401 })
    })
  })

  describe('POST /create-chatbot', () => {
    it('answers { chatbotId } and stores the name and source text', async () => {
      const reply = await api('POST', '/create-chatbot', { body: { chatbotName: 'example chatbot', sourceText: 'Source text' } })
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ chatbotId: expect.any(String) })
      expect(emulator.chatbot(reply.json.chatbotId)).toMatchObject({
        id: reply.json.chatbotId,
        name: 'example chatbot',
        sourceText: 'Source text',
        styles: { displayName: 'example chatbot' },
      })
      const other = await createChatbot({ chatbotName: 'example chatbot' })
      expect(other).not.toBe(reply.json.chatbotId)
      expect(emulator.chatbot(other)?.sourceText).toBeNull()
    })

    it("stores the curl example's urlsToScrape, and refuses what is not a list of http(s) URLs", async () => {
      const urls = ['https://www.chatbase.co/docs/chat', 'http://example.com/faq']
      const chatbotId = await createChatbot({ chatbotName: 'Scraped', urlsToScrape: urls })
      expect(emulator.chatbot(chatbotId)?.urlsToScrape).toEqual(urls)

      const bad = await api('POST', '/create-chatbot', { body: { chatbotName: 'x', urlsToScrape: ['ftp://example.com', 7] } })
      expect(bad.json.issues).toEqual([
        { field: 'urlsToScrape.1', message: 'Expected string, received number' },
        { field: 'urlsToScrape.0', message: 'Invalid url' },
      ])
      expect((await api('POST', '/create-chatbot', { body: { chatbotName: 'x', urlsToScrape: 'https://a.b' } })).status).toBe(400)
    })

    it('makes a real chatbot: chat, contacts, custom attributes, leads and conversations work', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Support' })
      const chat = await api('POST', '/chat', {
        body: { chatbotId, messages: [{ role: 'user', content: 'hello' }], conversationId: 'new-bot-conv' },
      })
      expect(chat).toMatchObject({ status: 200, json: { text: 'Emulated reply to "hello" (messages received: 1)' } })
      const conversations = await api('GET', '/get-conversations', { query: { chatbotId } })
      expect(conversations.json.data.map((conversation: { id: string }) => conversation.id)).toEqual(['new-bot-conv'])

      const attribute = await api('POST', `/chatbots/${chatbotId}/custom-attributes`, {
        body: { name: 'plan', type: 'text', label: 'Plan' },
      })
      expect(attribute.status).toBe(200)
      const created = await api('POST', `/chatbots/${chatbotId}/contacts`, {
        body: { users: [{ external_id: 'a', custom_attributes: { plan: 'pro' } }] },
      })
      expect(created.status).toBe(200)
      expect(emulator.contacts(chatbotId)).toMatchObject([{ external_id: 'a', custom_attributes: { plan: 'pro' } }])
      expect((await api('GET', `/chatbots/${chatbotId}/contacts`)).json.total).toBe(1)

      emulator.addLead(chatbotId, { name: 'Ann' })
      const leads = await api('GET', '/get-leads', { query: { chatbotId } })
      expect(leads.json.data).toMatchObject([{ name: 'Ann', chatbot_id: chatbotId }])
      expect((await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })).json.data).toEqual([])
    })

    it.each([
      ['no chatbotName', {}, 'chatbotName', 'Required'],
      ['a numeric chatbotName', { chatbotName: 7 }, 'chatbotName', 'Expected string, received number'],
      ['a numeric sourceText', { chatbotName: 'x', sourceText: 1 }, 'sourceText', 'Expected string, received number'],
    ])('answers 400 to %s and creates nothing', async (_case, body, field, message) => {
      const before = await listChatbots()
      const reply = await api('POST', '/create-chatbot', { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listChatbots()).toEqual(before)
    })

    it('answers 401 without the key and creates nothing', async () => {
      const before = await listChatbots()
      const reply = await api('POST', '/create-chatbot', { body: { chatbotName: 'x' }, authorization: null })
      expect(reply.status).toBe(401)
      expect(await listChatbots()).toEqual(before)
    })
  })

  describe('POST /update-chatbot-data', () => {
    it('renames and replaces the source text, answering { chatbotId }', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Old', sourceText: 'old text' })
      const reply = await api('POST', '/update-chatbot-data', { body: { chatbotId, chatbotName: 'new name', sourceText: 'new text' } })
      expect(reply).toMatchObject({ status: 200, json: { chatbotId } })
      expect(emulator.chatbot(chatbotId)).toMatchObject({ name: 'new name', sourceText: 'new text' })
    })

    it('keeps the source text when none is given', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Old', sourceText: 'old text' })
      await api('POST', '/update-chatbot-data', { body: { chatbotId, chatbotName: 'Renamed' } })
      expect(emulator.chatbot(chatbotId)).toMatchObject({ name: 'Renamed', sourceText: 'old text' })
    })

    it.each([
      ['no chatbotId', { chatbotName: 'x' }, 'chatbotId', 'Required'],
      ['no chatbotName', { chatbotId: CHATBOT }, 'chatbotName', 'Required'],
      ['a numeric sourceText', { chatbotId: CHATBOT, chatbotName: 'x', sourceText: 3 }, 'sourceText', 'Expected string, received number'],
    ])('answers 400 to %s', async (_case, body, field, message) => {
      const reply = await api('POST', '/update-chatbot-data', { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.chatbot(CHATBOT)?.name).toBe(CHATBOT)
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      const unknown = await api('POST', '/update-chatbot-data', { body: { chatbotId: 'no-such-bot', chatbotName: 'x' } })
      expect(unknown).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const body = { chatbotId: CHATBOT, chatbotName: 'x' }
      expect((await api('POST', '/update-chatbot-data', { body, authorization: null })).status).toBe(401)
      expect(emulator.chatbot(CHATBOT)?.name).toBe(CHATBOT)
    })
  })

  describe('POST /update-chatbot-settings', () => {
    const update = (body: Record<string, unknown>) => api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, ...body } })
    // The docs' example payload
    const example = {
      collectCustomerInformation: { name: { label: 'Name', active: true }, email: { label: 'Email', active: true }, title: 'Let us know how to contact you' },
      styles: {
        theme: 'dark',
        userMessageColor: '#3B81F7',
        buttonColor: '#3B81F7',
        displayName: 'Product Hunt',
        autoOpenChatWindowAfter: 4,
        alignChatButton: 'left',
      },
      name: 'my Chatbot',
      instructions: 'I want you to act as a document that I am having a conversation with.',
      initialMessages: ['Hi! What can I help you with?'],
      suggestedMessages: ['Hi! What are you?'],
      visibility: 'public',
      onlyAllowOnAddedDomains: true,
      domains: ['example.com'],
      ipLimit: 20,
      ipLimitTimeframe: 240,
      ipLimitMessage: 'Too many messages in a row',
      model: 'gpt-4',
      temp: 0.2,
    }

    it("answers 202 and stores the docs' example payload", async () => {
      const reply = await update(example)
      expect(reply.status).toBe(202)
      expect(reply.json).toEqual({ message: 'Chatbot settings updated successfully' })
      const { collectCustomerInformation, styles, ...plain } = example
      const stored = emulator.chatbot(CHATBOT)
      expect(stored).toMatchObject({ id: CHATBOT, ...plain, styles })
      expect(stored?.collectCustomerInformation).toEqual({ ...collectCustomerInformation, phone: { label: 'Phone', active: false } })
      expect((await listChatbots()).find((chatbot) => chatbot.id === CHATBOT)).toEqual(stored)
    })

    it('changes only the given fields and merges nested objects', async () => {
      const before = emulator.chatbot(CHATBOT) as StoredChatbot
      await update({ temp: 0.7, collectCustomerInformation: { phone: { active: true } }, styles: { theme: 'dark' }, unknown: 1 })
      expect(emulator.chatbot(CHATBOT)).toEqual({
        ...before,
        temp: 0.7,
        collectCustomerInformation: { ...before.collectCustomerInformation, phone: { label: 'Phone', active: true } },
        styles: { ...before.styles, theme: 'dark' },
      })
    })

    it('accepts the bounds of the ranges', async () => {
      for (const body of [{ temp: 0 }, { temp: 1 }, { ipLimit: 0 }, { styles: { autoOpenChatWindowAfter: 0, userMessageColor: '#fff' } }]) {
        expect((await update(body)).status).toBe(202)
      }
      expect(emulator.chatbot(CHATBOT)).toMatchObject({ temp: 1, ipLimit: 0, styles: { userMessageColor: '#fff' } })
    })

    it.each([
      ['a string name', { name: 1 }, 'name', 'Expected string, received number'],
      ['an unknown visibility', { visibility: 'hidden' }, 'visibility', "Invalid enum value. Expected 'private' | 'public', received 'hidden'"],
      ['temp above 1', { temp: 1.5 }, 'temp', 'Number must be less than or equal to 1'],
      ['temp below 0', { temp: -0.1 }, 'temp', 'Number must be greater than or equal to 0'],
      ['a string temp', { temp: '0.5' }, 'temp', 'Expected number, received string'],
      ['a fractional ipLimit', { ipLimit: 2.5 }, 'ipLimit', 'Expected integer, received float'],
      ['a negative ipLimitTimeframe', { ipLimitTimeframe: -1 }, 'ipLimitTimeframe', 'Number must be greater than or equal to 0'],
      ['an unknown model', { model: 'gpt-5' }, 'model', expect.stringContaining("received 'gpt-5'")],
      ['a non-string initial message', { initialMessages: ['ok', 3] }, 'initialMessages.1', 'Expected string, received number'],
      ['domains as a string', { domains: 'example.com' }, 'domains', 'Expected array, received string'],
      ['a string onlyAllowOnAddedDomains', { onlyAllowOnAddedDomains: 'true' }, 'onlyAllowOnAddedDomains', 'Expected boolean, received string'],
      ['an unknown theme', { styles: { theme: 'blue' } }, 'styles.theme', "Invalid enum value. Expected 'dark' | 'light', received 'blue'"],
      ['a color name', { styles: { buttonColor: 'blue' } }, 'styles.buttonColor', 'Invalid hex color, expected e.g. #3B81F7'],
      ['a bad alignment', { styles: { alignChatButton: 'center' } }, 'styles.alignChatButton', "Invalid enum value. Expected 'left' | 'right', received 'center'"],
      ['a string delay', { styles: { autoOpenChatWindowAfter: '4' } }, 'styles.autoOpenChatWindowAfter', 'Expected number, received string'],
      ['styles as an array', { styles: [] }, 'styles', 'Expected object, received array'],
      ['a string active', { collectCustomerInformation: { name: { active: 'yes' } } }, 'collectCustomerInformation.name.active', 'Expected boolean, received string'],
      ['a numeric title', { collectCustomerInformation: { title: 1 } }, 'collectCustomerInformation.title', 'Expected string, received number'],
      ['no chatbotId', { chatbotId: undefined }, 'chatbotId', 'Required'],
    ])('answers 400 to %s and changes nothing', async (_case, body, field, message) => {
      const before = emulator.chatbot(CHATBOT)
      const reply = await update({ name: 'changed', ...body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.chatbot(CHATBOT)).toEqual(before)
    })

    it('accepts every model of the /chat page, e.g. claude-3-haiku and grok-3-mini', async () => {
      expect((await update({ model: 'claude-3-haiku' })).status).toBe(202)
      expect((await update({ model: 'grok-3-mini' })).status).toBe(202)
      expect(emulator.chatbot(CHATBOT)?.model).toBe('grok-3-mini')
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      expect(await update({ chatbotId: 'no-such-bot', temp: 1 })).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, temp: 1 }, authorization: null })
      expect(anonymous.status).toBe(401)
      expect(emulator.chatbot(CHATBOT)?.temp).toBe(0)
    })
  })

  describe('DELETE /delete-chatbot', () => {
    const remove = (chatbotId: string) => api('DELETE', '/delete-chatbot', { query: { chatbotId } })

    it('deletes the chatbot and its data: every route then answers 404', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Doomed' })
      await api('POST', `/chatbots/${chatbotId}/contacts`, { body: { users: [{ external_id: 'a' }] } })
      await api('POST', '/chat', { body: { chatbotId, messages: [{ role: 'user', content: 'x' }], conversationId: 'doomed-conv' } })

      expect(await remove(chatbotId)).toMatchObject({ status: 200, json: { message: 'Deleted successfully' } })
      expect(emulator.chatbot(chatbotId)).toBeUndefined()
      expect(emulator.savedConversation('doomed-conv')).toBeUndefined()
      const notFound = { status: 404, json: { message: 'Chatbot not found' } }
      expect(await api('POST', '/chat', { body: { chatbotId, messages: [{ role: 'user', content: 'x' }] } })).toMatchObject(notFound)
      expect(await api('GET', `/chatbots/${chatbotId}/contacts`)).toMatchObject(notFound)
      expect(await api('GET', '/get-conversations', { query: { chatbotId } })).toMatchObject(notFound)
      expect(await remove(chatbotId)).toMatchObject(notFound)
      const remaining = (await listChatbots()).map((chatbot) => chatbot.id)
      expect(remaining).not.toContain(chatbotId)
      expect(remaining).toContain(CHATBOT)
    })

    it('answers 400 without chatbotId, 404 for an unknown chatbot, 401 without the key', async () => {
      const missing = await api('DELETE', '/delete-chatbot')
      expect(missing.status).toBe(400)
      expect(missing.json.issues).toEqual([{ field: 'chatbotId', message: 'Required' }])
      expect(await remove('no-such-bot')).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('DELETE', '/delete-chatbot', { query: { chatbotId: CHATBOT }, authorization: null })
      expect(anonymous.status).toBe(401)
      expect(emulator.chatbot(CHATBOT)).toBeDefined()
    })

    it('is a DELETE only, as documented', async () => {
      const reply = await api('POST', '/delete-chatbot', { query: { chatbotId: CHATBOT } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Not found' } })
      expect(emulator.chatbot(CHATBOT)).toBeDefined()
    })
  })

  describe('reset()', () => {
    it('removes API-created chatbots, keeps and restores the others with default settings', async () => {
      emulator.addChatbot('extra-bot')
      const created = await createChatbot({ chatbotName: 'Temporary' })
      const defaults = emulator.chatbot(CHATBOT)
      await api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, temp: 0.9 } })
      expect(emulator.chatbot(CHATBOT)?.temp).toBe(0.9)
      expect((await api('DELETE', '/delete-chatbot', { query: { chatbotId: 'extra-bot' } })).status).toBe(200)
      emulator.addConversation(CHATBOT, { id: 'kept?', messages: [] })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })

      emulator.reset()
      expect(emulator.chatbot(created)).toBeUndefined()
      expect((await api('POST', '/chat', { body: { chatbotId: created, messages: [{ role: 'user', content: 'x' }] } })).status).toBe(404)
      expect(emulator.chatbot(CHATBOT)).toEqual(defaults)
      expect(emulator.chatbot('extra-bot')).toMatchObject({ id: 'extra-bot' })
      expect((await api('GET', '/get-conversations', { query: { chatbotId: CHATBOT } })).json.data).toEqual([])
      expect((await api('GET', `/chatbots/${CHATBOT}/custom-attributes`)).json.data).toEqual([])
    })
  })
})

describe('stats', () => {
  const chat = () => api('POST', '/chat', { body: { chatbotId: CHATBOT, messages: [{ role: 'user', content: 'hi' }] } })

  it('counts one at a time for sequential requests, and nothing in flight afterwards', async () => {
    await chat()
    await api('GET', CONTACTS)
    await api('GET', '/nothing-here', { authorization: null })
    expect(emulator.stats).toEqual({ inFlight: 0, maxInFlight: 1 })
  })

  it('counts concurrent delayed requests (faults included) while they wait, and reset() zeroes the maximum', async () => {
    emulator.injectFault({ path: '/chat', delayMs: 400, times: 2 })
    emulator.injectFault({ path: '/get-chatbots', delayMs: 400, status: 503 })
    const pending = [chat(), chat(), api('GET', '/get-chatbots')]
    await vi.waitFor(() => expect(emulator.stats.inFlight).toBe(3), { timeout: 1000, interval: 5 })
    expect(emulator.stats.maxInFlight).toBe(3)
    const replies = await Promise.all(pending)
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 503])
    expect((await chat()).status).toBe(200) // alone: the maximum stays
    expect(emulator.stats).toEqual({ inFlight: 0, maxInFlight: 3 })
    emulator.reset()
    expect(emulator.stats).toEqual({ inFlight: 0, maxInFlight: 0 })
  })
})

describe("setShapes('live')", () => {
  beforeEach(() => emulator.setShapes('live'))

  it('answers get-leads as { collectedCustomers: { data, error } }', async () => {
    const lead = emulator.addLead(CHATBOT, { name: 'Ada' })
    const reply = await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })
    expect(reply.json).toEqual({ collectedCustomers: { data: [lead], error: null } })
  })

  it('answers get-chatbots as { chatbots: { data, error } }, top-level parameters in snake_case, with created_at', async () => {
    const reply = await api('GET', '/get-chatbots')
    const listed = reply.json.chatbots.data.find((chatbot: { id: string }) => chatbot.id === CHATBOT)
    expect(reply.json.chatbots.error).toBeNull()
    expect(listed).toMatchObject({
      id: CHATBOT,
      name: CHATBOT,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      source_text: null,
      ip_limit_timeframe: 240,
      only_allow_on_added_domains: false,
      styles: { userMessageColor: '#3B81F7' },
    })
    expect(listed).not.toHaveProperty('ipLimit')
  })

  it('answers conversations with fields the docs do not list and without chatbot_id, keeping any role', async () => {
    emulator.addConversation(CHATBOT, { id: 'c-1', messages: [{ role: 'human_agent', content: 'A person here' }] })
    const [conversation] = (await api('GET', '/get-conversations', { query: { chatbotId: CHATBOT } })).json.data
    expect(conversation).toMatchObject({ id: 'c-1', messages: [{ role: 'human_agent', content: 'A person here' }], type: 'chat', score: null, country: null })
    expect(conversation).not.toHaveProperty('chatbot_id')
  })

  it("answers update-chatbot-settings' 202 with a text body, and still applies it", async () => {
    const reply = await api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, temp: 0.5 } })
    expect(reply).toMatchObject({ status: 202, text: 'Chatbot settings updated successfully' })
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(emulator.chatbot(CHATBOT)?.temp).toBe(0.5)
  })

  it('is undone by reset()', async () => {
    emulator.reset()
    expect((await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })).json).toEqual({ data: [] })
  })
})

describe('setClockSkew', () => {
  it("stamps contacts with Chatbase's clock, and reset() puts it back", async () => {
    emulator.setClockSkew(-30)
    const before = Math.floor(Date.now() / 1000)
    const [behind] = await createContacts([{ external_id: 'a' }])
    expect(behind!.created_at).toBeLessThanOrEqual(before - 29)
    const patched = await api('PATCH', `${CONTACTS}/${behind!.id}`, { body: { data: { name: 'A' } } })
    expect(patched.json.data.updated_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 29)

    emulator.reset()
    const [onTime] = await createContacts([{ external_id: 'b' }])
    expect(onTime!.created_at).toBeGreaterThanOrEqual(before)
  })
})

describe('chatbot images', () => {
  const square = pngImage(8)
  const form = (fields: Record<string, string | Blob>): FormData => {
    const body = new FormData()
    for (const [name, value] of Object.entries(fields)) body.append(name, value, ...(value instanceof Blob ? ['icon.png'] : []))
    return body
  }
  const upload = (path: string, body: FormData | string, authorization = `Bearer ${emulator.apiKey}`) =>
    fetch(emulator.url + path, { method: 'POST', headers: { authorization }, body }).then(
      async (response): Promise<{ status: number; json: Body }> => ({ status: response.status, json: await response.json() })
    )
  const png = (bytes: Buffer) => new Blob([bytes], { type: 'image/png' })

  describe.each([
    ['/upload-chatbot-icon', 'chatbotIconFile', 'icon', 'Chatbot icon'],
    ['/upload-chatbot-profile-picture', 'profilePictureFile', 'profilePicture', 'Chatbot profile picture'],
  ] as const)('POST %s', (path, fileField, image, what) => {
    it('stores the file with its name and type, and records the parts', async () => {
      const reply = await upload(path, form({ chatbotId: CHATBOT, [fileField]: png(square) }))

      expect(reply).toEqual({ status: 200, json: { message: `${what} uploaded successfully` } })
      expect(emulator.chatbotImage(CHATBOT, image)).toEqual({ fileName: 'icon.png', contentType: 'image/png', bytes: square })
      expect(emulator.requests[0]?.parts).toEqual([
        { name: 'chatbotId', value: CHATBOT },
        { name: fileField, fileName: 'icon.png', contentType: 'image/png', bytes: square },
      ])
    })

    it.each([
      ['no chatbotId', () => form({ [fileField]: png(square) }), [{ field: 'chatbotId', message: 'Required' }]],
      ['no file', () => form({ chatbotId: CHATBOT }), [{ field: fileField, message: 'Required' }]],
      ['the file as a plain field', () => form({ chatbotId: CHATBOT, [fileField]: 'not a file' }), [{ field: fileField, message: 'Required' }]],
      ['a file of 1 MB', () => form({ chatbotId: CHATBOT, [fileField]: png(Buffer.alloc(1_000_000)) }), [{ field: fileField, message: 'File size must be under 1MB' }]],
      ['a PNG that is not square', () => form({ chatbotId: CHATBOT, [fileField]: png(pngImage(8, 4)) }), [{ field: fileField, message: 'Image must be square (length = width)' }]],
    ])('answers 400 to %s', async (_, body, issues) => {
      const reply = await upload(path, body())

      expect(reply).toEqual({ status: 400, json: { message: 'Invalid request body', issues } })
      expect(emulator.chatbotImage(CHATBOT, image)).toBeUndefined()
    })

    it('answers 400 to a body that is not multipart', async () => {
      const reply = await upload(path, JSON.stringify({ chatbotId: CHATBOT }))
      expect(reply.json.issues).toEqual([{ field: 'body', message: 'Expected multipart/form-data' }])
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      expect(await upload(path, form({ chatbotId: 'ghost', [fileField]: png(square) }))).toEqual({ status: 404, json: { message: 'Chatbot not found' } })
      expect((await upload(path, form({ chatbotId: CHATBOT, [fileField]: png(square) }), 'Bearer wrong')).status).toBe(401)
    })
  })

  describe.each([
    ['/delete-chatbot-icon', '/upload-chatbot-icon', 'chatbotIconFile', 'icon', 'Chatbot icon'],
    ['/delete-chatbot-profile-picture', '/upload-chatbot-profile-picture', 'profilePictureFile', 'profilePicture', 'Chatbot profile picture'],
  ] as const)('DELETE %s', (path, uploadPath, fileField, image, what) => {
    it('removes the image, and succeeds when there is none', async () => {
      await upload(uploadPath, form({ chatbotId: CHATBOT, [fileField]: png(square) }))
      const reply = await api('DELETE', path, { query: { chatbotId: CHATBOT } })

      expect(reply).toMatchObject({ status: 200, json: { message: `${what} deleted successfully.` } })
      expect(emulator.chatbotImage(CHATBOT, image)).toBeUndefined()
      expect((await api('DELETE', path, { query: { chatbotId: CHATBOT } })).status).toBe(200)
    })

    it('answers 400 without chatbotId and 404 for an unknown chatbot', async () => {
      expect(await api('DELETE', path)).toMatchObject({ status: 400, json: { issues: [{ field: 'chatbotId', message: 'Required' }] } })
      expect(await api('DELETE', path, { query: { chatbotId: 'ghost' } })).toMatchObject({ status: 404 })
    })
  })

  it('forgets images on reset()', async () => {
    await upload('/upload-chatbot-icon', form({ chatbotId: CHATBOT, chatbotIconFile: png(square) }))
    emulator.reset()
    expect(emulator.chatbotImage(CHATBOT, 'icon')).toBeUndefined()
  })
})
