import { describe, expect, it } from 'vitest'
import { DELIVERIES_STATE } from '../../src/definitions/constants'
import { DEDUP_WINDOW_MS } from '../../src/webhook/dedup'
import { CREATE_EVENT_CALL_MS, WEBHOOK_STATE_CALL_MS } from '../../src/webhook/dispatcher'
import { operationHeaders, type IntegrationDriver } from '../support/botpress-protocol'
import { CLOUD_LIMITS } from '../support/botpress-stand-in'
import { leadWebhook, signWebhookBody, type LeadDelivery } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness, type Harness, ON_V1 } from '../support/harness'

/*
 * The lead webhook against a Botpress that behaves as Cloud may. A lead always reaches the bot unless Botpress says
 * it did not take the event; every non-2xx answer means no event was created; a createEvent whose answer was lost is
 * sent once more, so a lead may reach the bot twice rather than not at all; a repeat of a delivery never makes
 * another event, whichever instance it reaches.
 */

const lead = (conversationId: string, payload: Partial<LeadDelivery['payload']> = {}): LeadDelivery => ({
  chatbotId: CHATBOT_ID,
  payload: { conversationId, customerName: 'Grace', customerEmail: 'grace@example.com', ...payload },
})

/** Botpress Cloud hands the request to one instance of the installation: this one. */
const deliverTo = (driver: IntegrationDriver, delivery: LeadDelivery, secret: string) => {
  const { body, headers } = leadWebhook(delivery, secret)
  return driver.webhook({ method: 'POST', headers, body })
}

const deliver = (h: Harness, delivery: LeadDelivery) => deliverTo(h.driver, delivery, h.chatbase.apiKey)

const signed = (h: Harness, body: string) =>
  h.driver.webhook({
    method: 'POST',
    headers: { 'x-chatbase-signature': signWebhookBody(body, h.chatbase.apiKey) },
    body,
  })

const leadEvents = (h: Harness) => h.botpress.events.filter((event) => event.type === 'leadSubmitted')

/** The sum of the webhook's own bounds: the record read, the link lookup, createEvent, the record write. */
const WEBHOOK_BOUND_MS = 3 * WEBHOOK_STATE_CALL_MS + CREATE_EVENT_CALL_MS
const SLACK_MS = 750

describe('the link to a Botpress conversation never stops a lead', () => {
  const h = useHarness(ON_V1)

  it.each([
    ['refuses states of conversations the integration does not own (403)', { foreignConversationStates: 'forbid' }],
    ['refuses a conversation id it does not recognise (400)', { conversationIds: 'botpress' }],
  ] as const)('emits the lead unlinked when Botpress %s, and logs why', async (_, rules) => {
    const conversationId = `remembered-${Object.keys(rules)[0]}`
    await h.driver.callAction('messageChatbot', { message: 'a demo, please', conversationId })
    h.botpress.behave(rules)
    const logs = h.integration.logs.length
    const answer = await deliver(h, lead(conversationId))

    expect(answer.status).toBe(200)
    expect(leadEvents(h)).toEqual([
      expect.objectContaining({ conversationId: undefined, payload: expect.objectContaining({ conversationId }) }),
    ])
    await expect
      .poll(() => h.integration.logs.slice(logs).join('\n'))
      .toMatch(/Botpress did not tell whether the lead of Chatbase conversation/)
  })

  it.each([
    ['fails', { status: 500 }],
    ['stalls', { stallMs: WEBHOOK_STATE_CALL_MS + 1_000 }],
  ] as const)('emits the lead unlinked when the lookup %s', async (what, fault) => {
    h.botpress.injectFault({ operation: 'getState', stateType: 'conversation', ...fault })
    const started = Date.now()
    const answer = await deliver(h, lead(`lookup-${what}`))

    expect(answer.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(WEBHOOK_BOUND_MS + SLACK_MS)
    expect(leadEvents(h)).toHaveLength(1)
  })
})

describe('createEvent as Botpress may answer it', () => {
  const h = useHarness(ON_V1)

  it('answers 503 and creates nothing when Botpress fails the event, then delivers the repeat once', async () => {
    h.botpress.injectFault({ operation: 'createEvent', status: 500 })
    const first = await deliver(h, lead('fail-once'))
    const eventsAfterFirst = leadEvents(h).length
    const again = await deliver(h, lead('fail-once'))

    expect([first.status, eventsAfterFirst, again.status, leadEvents(h).length]).toEqual([503, 0, 200, 1])
  })

  it('sends the event again once when its answer was lost: the lead reaches the bot twice rather than not at all', async () => {
    h.botpress.injectFault({ operation: 'createEvent', loseAnswer: true })
    const first = await deliver(h, lead('lost-answer'))
    const again = await deliver(h, lead('lost-answer'))

    expect([first.status, again.status]).toEqual([200, 200])
    expect(JSON.parse(first.body)).toEqual({ received: 'leads.submit' })
    expect(JSON.parse(again.body)).toEqual({ duplicate: 'leads.submit' })
    expect(leadEvents(h)).toHaveLength(2)
  })

  it('answers 200 and logs what the lead held when no try was answered, and a repeat is not another event', async () => {
    h.botpress.injectFault({ operation: 'createEvent', loseAnswer: true, times: 2 })
    const logs = h.integration.logs.length
    const first = await deliver(h, lead('lost-twice'))
    const again = await deliver(h, lead('lost-twice'))

    expect([first.status, again.status]).toEqual([200, 200])
    expect(JSON.parse(first.body)).toEqual({ unconfirmed: 'leads.submit' })
    expect(leadEvents(h)).toHaveLength(2)
    await expect
      .poll(() => h.integration.logs.slice(logs).join('\n'))
      .toMatch(
        /Botpress did not confirm the leadSubmitted event of Chatbase conversation "lost-twice" .*It held \{"chatbotId":".*","conversationId":"lost-twice","customerName":"Grace","customerEmail":"grace@example.com"\}/
      )
  })

  it('waits for the Retry-After of a 429 and creates the event once', async () => {
    h.botpress.injectFault({ operation: 'createEvent', status: 429, retryAfterSeconds: 1 })
    const started = Date.now()
    const answer = await deliver(h, lead('rate-limited'))

    expect(answer.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(leadEvents(h)).toHaveLength(1)
  })

  it('answers 503, creates nothing and logs what the lead held when Botpress answers 502 to both tries', async () => {
    h.botpress.injectFault({ operation: 'createEvent', status: 502, times: 2 })
    const logs = h.integration.logs.length
    const first = await deliver(h, lead('bad-gateway'))

    expect(first.status).toBe(503)
    expect(leadEvents(h)).toHaveLength(0)
    await expect
      .poll(() => h.integration.logs.slice(logs).join('\n'))
      .toMatch(
        /Botpress did not create the leadSubmitted event \(502 Internal: .*It held \{.*"conversationId":"bad-gateway"/
      )
    expect((await deliver(h, lead('bad-gateway'))).status).toBe(200)
    expect(leadEvents(h)).toHaveLength(1)
  })

  it('answers within its own bound when createEvent stalls, and the event Botpress then creates is the only one', async () => {
    h.botpress.injectFault({ operation: 'createEvent', stallMs: CREATE_EVENT_CALL_MS + 1_000 })
    const started = Date.now()
    const first = await deliver(h, lead('stalled'))
    const answeredAfter = Date.now() - started
    await expect.poll(() => leadEvents(h).length, { timeout: 3_000 }).toBe(1)
    const again = await deliver(h, lead('stalled'))

    expect(first.status).toBe(200)
    expect(answeredAfter).toBeLessThan(WEBHOOK_BOUND_MS + SLACK_MS)
    expect(again.status).toBe(200)
    expect(leadEvents(h)).toHaveLength(1)
  })

  it.each([
    // A read is tried again a second later; a second wait would pass its budget.
    ['reading it fails', { operation: 'getState', status: 500, times: 2 }],
    ['reading it stalls', { operation: 'getState', stallMs: WEBHOOK_STATE_CALL_MS + 1_000 }],
    ['writing it fails', { operation: 'setState', status: 500 }],
    ['writing it is refused (413)', { operation: 'setState', status: 413 }],
  ] as const)('delivers the lead when the record of deliveries cannot be used: %s', async (what, fault) => {
    h.botpress.injectFault({ stateType: 'integration', ...fault })
    const logs = h.integration.logs.length
    const answer = await deliver(h, lead(`record-${what}`))

    expect(answer.status).toBe(200)
    expect(leadEvents(h)).toHaveLength(1)
    await expect
      .poll(() => h.integration.logs.slice(logs).join('\n'))
      .toMatch(/record (of recent webhook deliveries|a webhook delivery)/)
  })
})

describe('tracing', () => {
  const h = useHarness(ON_V1)

  it('passes the trace headers of the request Botpress made to every call it makes back', async () => {
    const trace = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'bp=lead',
      'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
    }
    const { body, headers } = leadWebhook(lead('traced'), h.chatbase.apiKey)
    const answer = await fetch(h.driver.url, {
      method: 'POST',
      headers: { ...operationHeaders('webhook_received', h.driver.installation), ...trace },
      body: JSON.stringify({ req: { method: 'POST', path: '', query: '', headers, body } }),
    })

    expect(answer.status).toBe(200)
    expect(h.botpress.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'POST', 'POST'])
    for (const request of h.botpress.requests) {
      expect(request.headers).toMatchObject(trace)
    }
  })
})

describe('two instances of one installation', () => {
  const h = useHarness({}, { instances: 2 })
  const [first, second] = [0, 1].map((index) => () => h.instances[index]!.driver)

  it('emit one event for a delivery that reaches both', async () => {
    const answers = [
      await deliverTo(first(), lead('both'), h.chatbase.apiKey),
      await deliverTo(second(), lead('both'), h.chatbase.apiKey),
    ]

    expect(answers.map((answer) => [answer.status, JSON.parse(answer.body)])).toEqual([
      [200, { received: 'leads.submit' }],
      [200, { duplicate: 'leads.submit' }],
    ])
    expect(leadEvents(h)).toHaveLength(1)
  })

  it('emit no other event when the repeat of a delivery whose createEvent went unanswered reaches the other', async () => {
    h.botpress.injectFault({ operation: 'createEvent', loseAnswer: true, times: 2 })
    await deliverTo(first(), lead('lost-then-elsewhere'), h.chatbase.apiKey)
    const again = await deliverTo(second(), lead('lost-then-elsewhere'), h.chatbase.apiKey)

    expect(JSON.parse(again.body)).toEqual({ duplicate: 'leads.submit' })
    // Both tries of the first instance acted; their answers were lost.
    expect(leadEvents(h)).toHaveLength(2)
  })

  it('keep the record in an expiring integration state', async () => {
    await deliverTo(first(), lead('recorded-1'), h.chatbase.apiKey)
    await deliverTo(second(), lead('recorded-2'), h.chatbase.apiKey)
    const writes = h.botpress.requests
      .filter((request) => request.method === 'POST' && request.path.endsWith(`/${DELIVERIES_STATE}`))
      .map((request) => ({ path: request.path, body: JSON.parse(request.body) }))

    expect(writes.map((write) => write.path)).toEqual(
      Array(2).fill(`/v1/chat/states/integration/${h.driver.installation.integrationId}/${DELIVERIES_STATE}`)
    )
    expect(writes.map((write) => write.body.payload.deliveries.length)).toEqual([1, 2])
    expect(writes.every((write) => write.body.expiry === DEDUP_WINDOW_MS)).toBe(true)
  })
})

describe('lead bodies as they may come', () => {
  const h = useHarness(ON_V1)

  it('delivers fields that arrive as numbers as text', async () => {
    const body = JSON.stringify({
      eventType: 'leads.submit',
      chatbotId: CHATBOT_ID,
      payload: { conversationId: 12345, customerPhone: 4155550100 },
    })
    const answer = await signed(h, body)

    expect(answer.status).toBe(200)
    expect(leadEvents(h)[0]?.payload).toEqual({
      chatbotId: CHATBOT_ID,
      conversationId: '12345',
      customerPhone: '4155550100',
    })
  })

  it('delivers a lead whose customer fields come in odd types, with what they hold, and logs each odd one', async () => {
    const body = JSON.stringify({
      eventType: 'leads.submit',
      chatbotId: CHATBOT_ID,
      payload: {
        conversationId: 'odd-fields',
        customerName: true,
        customerEmail: ['grace@example.com', 'g.hopper@example.com'],
        customerPhone: { number: '4155550100' },
      },
    })
    const logs = h.integration.logs.length
    const answer = await signed(h, body)

    expect(answer.status).toBe(200)
    expect(leadEvents(h)[0]?.payload).toEqual({
      chatbotId: CHATBOT_ID,
      conversationId: 'odd-fields',
      customerEmail: 'grace@example.com, g.hopper@example.com',
    })
    await expect.poll(() => h.integration.logs.slice(logs).join('\n')).toMatch(/gave customerPhone as an object/)
    const logged = h.integration.logs.slice(logs).join('\n')
    expect(logged).toMatch(/"odd-fields" gave customerName as a boolean, left out/)
    expect(logged).toMatch(/"odd-fields" gave customerEmail as a list, kept as its 2 text entries/)
  })

  it('ignores, with a 200 and a log line, a signed lead without a usable conversation id', async () => {
    const body = JSON.stringify({
      eventType: 'leads.submit',
      chatbotId: CHATBOT_ID,
      payload: { conversationId: false, customerName: 'Grace' },
    })
    const logs = h.integration.logs.length
    const answer = await signed(h, body)

    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { ignored: 'unusable leads.submit payload' }])
    expect(leadEvents(h)).toEqual([])
    await expect
      .poll(() => h.integration.logs.slice(logs).join('\n'))
      .toMatch(/Ignored a signed leads.submit webhook: payload.conversationId/)
  })

  it('reads a body that starts with a UTF-8 byte order mark', async () => {
    const { body } = leadWebhook(lead('with-bom'), h.chatbase.apiKey)
    const answer = await signed(h, `\uFEFF${body}`)

    expect(answer.status).toBe(200)
    expect(leadEvents(h)[0]?.payload.conversationId).toBe('with-bom')
  })

  it.each([
    ['eventType', (nested: string) => `{"eventType":${nested},"chatbotId":"${CHATBOT_ID}","payload":{}}`],
    [
      'a customer field',
      (nested: string) =>
        `{"eventType":"leads.submit","chatbotId":"${CHATBOT_ID}","payload":{"conversationId":"c","customerName":${nested}}}`,
    ],
    [
      'an unknown field',
      (nested: string) =>
        `{"eventType":"leads.submit","chatbotId":"${CHATBOT_ID}","payload":{"conversationId":"deep","extra":${nested}}}`,
    ],
  ])('answers 2xx to absurdly nested JSON in %s', async (_, bodyWith) => {
    const depth = 20_000
    const answer = await signed(h, bodyWith('['.repeat(depth) + ']'.repeat(depth)))

    expect(answer.status).toBe(200)
  })

  it('answers before Botpress gives up on it, however slow Botpress is', async () => {
    for (const operation of ['getState', 'createEvent', 'setState'] as const) {
      h.botpress.injectFault({ operation, stallMs: CLOUD_LIMITS.invocationTimeoutMs })
    }
    const started = Date.now()
    const answer = await deliver(h, lead('all-stalled'))

    expect(answer.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(WEBHOOK_BOUND_MS + SLACK_MS)
  })
})
