import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from './support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from './support/harness'

const h = useHarness()

const webhookUrl = () => h.botpress.webhookUrl(h.driver.installation.webhookId)

describe('register', () => {
  it('checks the key and chatbot with one read-only call, and logs the webhook URL to paste in Chatbase', async () => {
    const logLines = h.integration.logs.length
    const answer = await h.driver.register(webhookUrl())

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toHaveLength(1)
    expect(h.chatbase.requests[0]).toMatchObject({
      method: 'GET',
      path: '/get-leads',
      query: { chatbotId: CHATBOT_ID },
    })
    await expect.poll(() => h.integration.logs.slice(logLines).join('\n')).toContain(webhookUrl())
    expect(h.integration.logs.slice(logLines).join('\n')).toContain('Settings > Webhooks')
  })

  it.each([
    ['a body of no known shape', '{"unexpected":{"shape":true}}'],
    ['no body', ''],
    ['a text body', 'OK'],
  ])('installs whatever the leads answer holds: %s', async (_, body) => {
    h.chatbase.injectFault({ path: '/get-leads', status: 200, body })
    const answer = await h.driver.register(webhookUrl())

    expect(answer.status).toBe(200)
  })

  it('fails installation with a clear message when the API key is wrong', async () => {
    const answer = await h.driver
      .withConfiguration({ ...h.configuration, apiKey: 'sk_not_valid' })
      .register(webhookUrl())

    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'Runtime',
      message:
        'Could not check the API key and chatbot id. Chatbase rejected the API key (401 Unauthorized). Check the API Key in the integration configuration.',
    })
  })

  it('fails installation naming the chatbot id Chatbase does not know', async () => {
    const answer = await h.driver
      .withConfiguration({ ...h.configuration, chatbotId: 'typo-bot' })
      .register(webhookUrl())

    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).message).toContain('Chatbase found no chatbot "typo-bot" (404)')
  })

  it('unregisters without calling Chatbase', async () => {
    const answer = await h.driver.unregister(webhookUrl())

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

/* Installing works whichever Chatbase sends: the docs' examples, or the shapes clients saw from the live API. */
describe.each<Shapes>(['documented', 'live'])('Chatbase answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('installs: register checks the key and chatbot by the status alone', async () => {
    const answer = await h.driver.register(h.botpress.webhookUrl(h.driver.installation.webhookId))

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toMatchObject([
      { method: 'GET', path: '/get-leads', query: { chatbotId: CHATBOT_ID, size: '1' } },
    ])
  })
})
