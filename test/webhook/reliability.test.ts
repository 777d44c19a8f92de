import { describe, expect, it } from 'vitest'
import { MAX_WEBHOOK_BODY_BYTES } from '../../src/webhook/handler'
import { IntegrationDriver } from '../support/botpress-protocol'
import { deliverLeadWebhook, leadWebhook, signWebhookBody, type LeadDelivery } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness, type Harness } from '../support/harness'

const lead = (conversationId: string): LeadDelivery => ({
  chatbotId: CHATBOT_ID,
  payload: { conversationId, customerName: 'Grace', customerEmail: 'grace@example.com' },
})

const webhookUrl = (h: Harness) => h.botpress.webhookUrl(h.driver.installation.webhookId)

/** A raw POST to the public webhook URL, as Chatbase or a proxy in front of it would send it. */
const post = (h: Harness, body: string, secret: string) =>
  fetch(webhookUrl(h), { method: 'POST', headers: { 'x-chatbase-signature': signWebhookBody(body, secret) }, body })

describe('repeated deliveries', () => {
  const h = useHarness()

  it('emits one event for a delivery repeated byte for byte, and answers 200 to both', async () => {
    const { body } = leadWebhook(lead('repeated'), h.chatbase.apiKey)
    const first = await post(h, body, h.chatbase.apiKey)
    const again = await post(h, body, h.chatbase.apiKey)

    expect([first.status, again.status]).toEqual([200, 200])
    expect(await again.json()).toEqual({ duplicate: 'leads.submit' })
    expect(h.botpress.events).toHaveLength(1)
  })

  it('emits one event for identical deliveries arriving together', async () => {
    const { body } = leadWebhook(lead('together'), h.chatbase.apiKey)
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(h, body, h.chatbase.apiKey)))

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200))
    expect(h.botpress.events).toHaveLength(1)
  })

  it('loses nothing when Botpress fails while identical deliveries arrive together: the sender delivers again', async () => {
    h.botpress.injectFault({ operation: 'createEvent', status: 500 })
    const { body } = leadWebhook(lead('failing-together'), h.chatbase.apiKey)
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => post(h, body, h.chatbase.apiKey)))).map(
      (answer) => answer.status
    )
    // As Chatbase would: every delivery that was not answered 2xx is delivered again.
    const retried = await Promise.all(
      statuses.filter((status) => status !== 200).map(() => post(h, body, h.chatbase.apiKey))
    )

    expect(statuses).toContain(503)
    expect(retried.map((answer) => answer.status).every((status) => status === 200)).toBe(true)
    expect(h.botpress.events).toHaveLength(1)
  })

  it('treats a body that differs by one byte as another delivery', async () => {
    const { body } = leadWebhook(lead('one-byte'), h.chatbase.apiKey)
    await post(h, body, h.chatbase.apiKey)
    await post(h, `${body}\n`, h.chatbase.apiKey)

    expect(h.botpress.events).toHaveLength(2)
  })

  it('keeps the deliveries of two installations apart', async () => {
    const { body } = leadWebhook(lead('two-bots'), h.chatbase.apiKey)
    const headers = { 'x-chatbase-signature': signWebhookBody(body, h.chatbase.apiKey) }
    const otherBot = new IntegrationDriver(h.driver.url, {
      ...h.driver.installation,
      botId: 'bot_other',
      webhookId: 'wh_other',
    })
    await h.driver.webhook({ method: 'POST', headers, body })
    await otherBot.webhook({ method: 'POST', headers, body })

    expect(h.botpress.events.map((event) => event.headers['x-bot-id'])).toEqual([
      h.driver.installation.botId,
      'bot_other',
    ])
  })
})

describe('body size', () => {
  const h = useHarness()
  const padded = (conversationId: string, bytes: number) => {
    const { body } = leadWebhook(lead(conversationId), h.chatbase.apiKey)
    // Trailing spaces keep it valid JSON.
    return body + ' '.repeat(bytes - Buffer.byteLength(body))
  }

  it(`refuses a body over ${MAX_WEBHOOK_BODY_BYTES} bytes (413) even when correctly signed, and emits nothing`, async () => {
    const response = await post(h, padded('too-big', MAX_WEBHOOK_BODY_BYTES + 1), h.chatbase.apiKey)

    expect(response.status).toBe(413)
    expect(h.botpress.events).toHaveLength(0)
  })

  it('accepts a lead of exactly the limit', async () => {
    const response = await post(h, padded('at-limit', MAX_WEBHOOK_BODY_BYTES), h.chatbase.apiKey)

    expect(response.status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
  })
})

describe('signing key rotation', () => {
  const NEW_SECRET = 'whsec_canary_new_5Tq8'
  const OLD_SECRET = 'whsec_canary_old_9Lm3'
  const h = useHarness({ webhookSecret: NEW_SECRET, previousWebhookSecret: OLD_SECRET })

  /** A signed lead handed to the integration with the given configuration, as Botpress relays it. */
  const deliverWith = (configuration: Record<string, unknown>, conversationId: string, secret: string) => {
    const { body, headers } = leadWebhook(lead(conversationId), secret)
    return h.driver.withConfiguration(configuration).webhook({ method: 'POST', headers, body })
  }

  it('accepts the new secret and, until it is cleared, the previous one; nothing else', async () => {
    expect((await deliverLeadWebhook(webhookUrl(h), lead('signed-new'), NEW_SECRET)).status).toBe(200)
    expect((await deliverLeadWebhook(webhookUrl(h), lead('signed-old'), OLD_SECRET)).status).toBe(200)
    expect((await deliverLeadWebhook(webhookUrl(h), lead('signed-other'), 'whsec_someone_else')).status).toBe(401)
    expect(h.botpress.events.map((event) => event.payload.conversationId)).toEqual(['signed-new', 'signed-old'])
  })

  it('refuses the previous secret as soon as it is cleared from the configuration', async () => {
    const rotated = { ...h.configuration, previousWebhookSecret: undefined }

    expect((await deliverWith(rotated, 'after-rotation-old', OLD_SECRET)).status).toBe(401)
    expect((await deliverWith(rotated, 'after-rotation-new', NEW_SECRET)).status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
  })

  it('applies a new secret with the next request, without reinstalling', async () => {
    const newer = { ...h.configuration, webhookSecret: 'whsec_canary_newer_2Wd6', previousWebhookSecret: NEW_SECRET }

    expect((await deliverWith(newer, 'newer', 'whsec_canary_newer_2Wd6')).status).toBe(200)
    expect((await deliverWith(newer, 'still-new', NEW_SECRET)).status).toBe(200)
    expect((await deliverWith(newer, 'too-old', OLD_SECRET)).status).toBe(401)
  })

  it('rotates the API key the same way when webhooks are verified with it', async () => {
    const rotatedKey = {
      apiKey: 'sk_canary_rotated_key_8Vb1',
      chatbotId: CHATBOT_ID,
      previousWebhookSecret: h.chatbase.apiKey,
    }

    expect((await deliverWith(rotatedKey, 'key-new', 'sk_canary_rotated_key_8Vb1')).status).toBe(200)
    expect((await deliverWith(rotatedKey, 'key-old', h.chatbase.apiKey)).status).toBe(200)
    expect((await deliverWith(rotatedKey, 'key-webhook-secret', NEW_SECRET)).status).toBe(401)
  })
})
