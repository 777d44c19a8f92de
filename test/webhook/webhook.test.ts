import { describe, expect, it } from 'vitest'
import { deliverLeadWebhook, leadWebhook, signWebhookBody, type LeadDelivery } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness, type Harness } from '../support/harness'

const WEBHOOK_SECRET = 'whsec_separate_signing_key'

const lead = {
  chatbotId: CHATBOT_ID,
  payload: {
    conversationId: 'cb-conv-1',
    customerName: 'Grace',
    customerEmail: 'grace@example.com',
    customerPhone: '+1555',
  },
}
/** The integration ignores a body it already turned into an event, so each test that expects one sends its own. */
const leadIn = (conversationId: string) => ({ ...lead, payload: { ...lead.payload, conversationId } })

/** The public webhook URL: the stand-in relays what it receives to the integration, as Botpress Cloud does. */
const webhookUrl = (h: Harness) => h.botpress.webhookUrl(h.driver.installation.webhookId)
const deliverLead = (h: Harness, delivery: LeadDelivery, secret: string) =>
  deliverLeadWebhook(webhookUrl(h), delivery, secret)

/** Any request to the public webhook URL, for the cases Chatbase itself would never send. */
const deliver = (h: Harness, body: string, headers: Record<string, string>, method = 'POST') =>
  fetch(webhookUrl(h), { method, headers, body: method === 'GET' ? undefined : body })

describe('leads.submit webhook, verified with the API key', () => {
  const h = useHarness()

  it('emits exactly one leadSubmitted event for a correctly signed lead', async () => {
    const response = await deliverLead(h, lead, h.chatbase.apiKey)

    expect(response.status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
    expect(h.botpress.events[0]).toMatchObject({
      type: 'leadSubmitted',
      payload: {
        chatbotId: CHATBOT_ID,
        conversationId: 'cb-conv-1',
        customerName: 'Grace',
        customerEmail: 'grace@example.com',
        customerPhone: '+1555',
      },
    })
    expect(h.botpress.events[0]?.headers['x-bot-id']).toBe(h.driver.installation.botId)
    expect(h.botpress.events[0]?.headers.authorization).toBe(`Bearer ${h.botpress.token}`)
  })

  it('leaves out customer fields the form did not ask for', async () => {
    const response = await deliverLead(
      h,
      { chatbotId: CHATBOT_ID, payload: { conversationId: 'c2', customerEmail: 'x@example.com' } },
      h.chatbase.apiKey
    )

    expect(response.status).toBe(200)
    expect(h.botpress.events[0]?.payload).toEqual({
      chatbotId: CHATBOT_ID,
      conversationId: 'c2',
      customerEmail: 'x@example.com',
    })
  })

  it('accepts the signature header in any letter case', async () => {
    const { body } = leadWebhook(leadIn('cb-conv-case'), h.chatbase.apiKey)
    const answer = await h.driver.webhook({
      method: 'POST',
      headers: { 'X-Chatbase-Signature': signWebhookBody(body, h.chatbase.apiKey) },
      body,
    })

    expect(answer.status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
  })

  it.each([
    ['no signature', (body: string) => ({ 'content-type': 'application/json', other: body.length.toString() })],
    ['a wrong signature', () => ({ 'x-chatbase-signature': 'ab'.repeat(20) })],
    [
      'a signature of another body',
      (body: string) => ({ 'x-chatbase-signature': signWebhookBody(`${body} `, h.chatbase.apiKey) }),
    ],
    [
      'a signature made with another key',
      (body: string) => ({ 'x-chatbase-signature': signWebhookBody(body, 'someone-else') }),
    ],
    [
      'a truncated signature',
      (body: string) => ({ 'x-chatbase-signature': signWebhookBody(body, h.chatbase.apiKey).slice(1) }),
    ],
  ])('refuses a request with %s (401) and emits nothing', async (_, headersFor) => {
    const { body } = leadWebhook(lead, h.chatbase.apiKey)
    const response = await deliver(h, body, headersFor(body))

    expect(response.status).toBe(401)
    expect(h.botpress.events).toHaveLength(0)
  })

  it('answers 405 to anything but POST', async () => {
    const response = await deliver(h, '', {}, 'GET')

    expect(response.status).toBe(405)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(h.botpress.events).toHaveLength(0)
  })

  it.each([
    ['a body that is not JSON', 'not json at all'],
    ['another event type', JSON.stringify({ eventType: 'conversations.end', chatbotId: CHATBOT_ID, payload: {} })],
    [
      'a lead without a conversation id',
      JSON.stringify({ eventType: 'leads.submit', chatbotId: CHATBOT_ID, payload: { customerName: 'X' } }),
    ],
  ])('accepts a signed request with %s (200), logs it and emits nothing', async (_, body) => {
    const logLines = h.integration.logs.length
    const response = await deliver(h, body, { 'x-chatbase-signature': signWebhookBody(body, h.chatbase.apiKey) })

    expect(response.status).toBe(200)
    expect(h.botpress.events).toHaveLength(0)
    await expect.poll(() => h.integration.logs.slice(logLines).join('\n')).toMatch(/Ignored a signed/)
  })

  it('asks for a new delivery (503) when Botpress cannot take the event, then delivers it once', async () => {
    h.botpress.injectFault({ operation: 'createEvent', status: 500 })
    const retried = leadIn('cb-conv-retried')

    expect((await deliverLead(h, retried, h.chatbase.apiKey)).status).toBe(503)
    expect(h.botpress.events).toHaveLength(0)
    expect((await deliverLead(h, retried, h.chatbase.apiKey)).status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
  })
})

describe('leads.submit webhook, verified with a separate webhook secret', () => {
  const h = useHarness({ webhookSecret: WEBHOOK_SECRET })

  it('accepts a lead signed with the webhook secret', async () => {
    expect((await deliverLead(h, lead, WEBHOOK_SECRET)).status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
  })

  it('refuses a lead signed with the API key instead', async () => {
    expect((await deliverLead(h, lead, h.chatbase.apiKey)).status).toBe(401)
    expect(h.botpress.events).toHaveLength(0)
  })
})
