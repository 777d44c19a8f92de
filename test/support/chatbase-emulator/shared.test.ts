// The emulator's shared plumbing: serving, auth and routing, request recording, reset(), faults, the request
// stats, the live shapes, the clock skew, and the webhook signing helpers.
import { createHmac } from 'node:crypto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { leadWebhook, signWebhookBody, startChatbaseEmulator, type ChatbaseEmulator } from './index'
import { CHATBOT, CONTACTS, useEmulator } from './self-test'

let emulator: ChatbaseEmulator
const { api, createContacts } = useEmulator((started) => (emulator = started))

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

    emulator.injectFault({
      method: 'POST',
      path: `/chatbots/${CHATBOT}/contacts`,
      resetConnection: true,
      afterHandling: true,
    })
    await expect(
      api('POST', `/chatbots/${CHATBOT}/contacts`, { body: { users: [{ external_id: 'acted-2' }] } })
    ).rejects.toThrow(TypeError)
    expect(emulator.contacts(CHATBOT).map((contact) => contact.external_id)).toEqual(['acted-1', 'acted-2'])
  })

  it('without afterHandling, answers before acting', async () => {
    emulator.injectFault({ method: 'POST', path: `/chatbots/${CHATBOT}/contacts`, status: 502 })
    expect(
      (await api('POST', `/chatbots/${CHATBOT}/contacts`, { body: { users: [{ external_id: 'never' }] } })).status
    ).toBe(502)
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
    expect(conversation).toMatchObject({
      id: 'c-1',
      messages: [{ role: 'human_agent', content: 'A person here' }],
      type: 'chat',
      score: null,
      country: null,
    })
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

describe('webhooks', () => {
  it('signs with hex HMAC-SHA1 of the raw body', () => {
    // RFC 2202 test case 2
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79')
    const body = '{"eventType":"leads.submit","chatbotId":"x","payload":{"conversationId":"c"}}'
    expect(signWebhookBody(body, 'secret')).toBe(createHmac('sha1', 'secret').update(body).digest('hex'))
    expect(signWebhookBody(body, 'other-secret')).not.toBe(signWebhookBody(body, 'secret'))
  })

  it('builds a signed leads.submit delivery', () => {
    const payload = {
      conversationId: 'conv-1',
      customerEmail: 'ann@example.com',
      customerName: 'Ann',
      customerPhone: '+1555',
    }
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
    const delivery = leadWebhook(
      { chatbotId: CHATBOT, payload: { conversationId: 'conv-1', customerEmail: 'a@b.c' } },
      'k'
    )
    expect(JSON.parse(delivery.body).payload).toEqual({ conversationId: 'conv-1', customerEmail: 'a@b.c' })
  })
})
