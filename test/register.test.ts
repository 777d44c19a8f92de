import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from './support/chatbase-emulator'
import { CHATBOT_ID, ON_V1, useHarness } from './support/harness'

const h = useHarness()

const webhookUrl = () => h.botpress.webhookUrl(h.driver.installation.webhookId)
const registered = async (driver = h.driver) => {
  const logLines = h.integration.logs.length
  const answer = await driver.register(webhookUrl())
  return { answer, logs: () => h.integration.logs.slice(logLines).join('\n') }
}

describe('register', () => {
  it('checks the key and AI agent with one read-only v2 call, says v2 serves the cards, and logs the webhook URL', async () => {
    const { answer, logs } = await registered()

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toMatchObject([{ api: 'v2', method: 'GET', path: `/agents/${CHATBOT_ID}` }])
    await expect.poll(logs).toContain(webhookUrl())
    expect(logs()).toContain('Chatbase API v2 serves the cards')
    expect(logs()).toContain('Settings > Webhooks')
  })

  it.each(['documented', 'alternative'] as const)(
    'checks on v1 when v2 is refused for the plan (%s spelling), and says v1 serves every card',
    async (spelling) => {
      h.chatbase.setPlanAccess('no-api')
      h.chatbase.setErrorSpelling(spelling)
      const { answer, logs } = await registered()

      expect(answer.status).toBe(200)
      expect(h.chatbase.requests).toMatchObject([
        { api: 'v2', path: `/agents/${CHATBOT_ID}` },
        { api: 'v1', path: '/get-leads', query: { chatbotId: CHATBOT_ID } },
      ])
      await expect.poll(logs).toContain("the workspace's plan does not include API v2")
    }
  )

  it('checks on v1 alone when the configuration asks for v1', async () => {
    const { answer, logs } = await registered(h.driver.withConfiguration({ ...h.configuration, ...ON_V1 }))

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toMatchObject([{ api: 'v1', path: '/get-leads' }])
    await expect.poll(logs).toContain('as the configuration asks')
  })

  it('fails when the configuration asks for v2 and the plan has none, saying which plan it needs', async () => {
    h.chatbase.setPlanAccess('no-api')
    const { answer } = await registered(h.driver.withConfiguration({ ...h.configuration, apiVersion: 'v2' }))

    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).message).toContain('Chatbase API v2 needs the Standard plan or higher')
  })

  it.each([
    ['a body of no known shape', '{"unexpected":{"shape":true}}'],
    ['no body', ''],
    ['a text body', 'OK'],
  ])('installs whatever the AI agent answer holds: %s', async (_, body) => {
    h.chatbase.injectFault({ api: 'v2', path: `/agents/${CHATBOT_ID}`, status: 200, body })
    const { answer } = await registered()

    expect(answer.status).toBe(200)
  })

  it('fails installation with a clear message when the API key is wrong', async () => {
    const { answer } = await registered(h.driver.withConfiguration({ ...h.configuration, apiKey: 'sk_not_valid' }))

    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'Runtime',
      message: expect.stringMatching(
        /^Could not check the API key and Agent ID\. Chatbase rejected the API key \(401 Unauthorized\)\. Check the API Key in the integration configuration\./
      ),
    })
  })

  it('fails installation naming the Agent ID Chatbase does not know', async () => {
    const { answer } = await registered(h.driver.withConfiguration({ ...h.configuration, chatbotId: 'typo-bot' }))

    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).message).toContain('Chatbase found no AI agent "typo-bot" (404)')
  })

  it('unregisters without calling Chatbase', async () => {
    const answer = await h.driver.unregister(webhookUrl())

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

/* On v1, installing works whichever Chatbase sends: the docs' examples, or the shapes clients saw from the live API. */
describe.each<Shapes>(['documented', 'live'])('Chatbase v1 answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('installs: register checks the key and chatbot by the status alone', async () => {
    const answer = await h.driver.withConfiguration({ ...h.configuration, ...ON_V1 }).register(webhookUrl())

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toMatchObject([
      { method: 'GET', path: '/get-leads', query: { chatbotId: CHATBOT_ID, size: '1' } },
    ])
  })
})
