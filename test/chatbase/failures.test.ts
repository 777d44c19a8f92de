import { describe, expect, it } from 'vitest'
import { ON_V1, useHarness } from '../support/harness'

const h = useHarness(ON_V1)

/** These cards run on API v2 first: the v1 failures are read where v1 serves them. */
const onV1 = () => h.driver.withConfiguration({ ...h.configuration, apiVersion: 'v1' })

const failureOf = async (type: string, input: unknown, driver = h.driver): Promise<string> => {
  const result = await driver.callAction(type, input)
  expect(result.status).toBe(400)
  expect(result.error?.type).toBe('Runtime')
  return result.error?.message ?? ''
}

describe('Chatbase failures become errors a bot builder can act on', () => {
  it('says the API key was rejected (401)', async () => {
    const wrongKey = h.driver.withConfiguration({ ...h.configuration, apiKey: 'sk_wrong_key_4242' })
    const message = await failureOf('getLeads', {}, wrongKey)

    expect(message).toBe(
      'Could not get the leads. Chatbase rejected the API key (401 Unauthorized). Check the API Key in the integration configuration.'
    )
    expect(message).not.toContain('sk_wrong_key_4242')
  })

  it('names the chatbot Chatbase does not know (404)', async () => {
    const unknownChatbot = h.driver.withConfiguration({ ...h.configuration, chatbotId: 'no-such-bot' })

    expect(await failureOf('messageChatbot', { message: 'hi' }, unknownChatbot)).toContain(
      'Chatbase found no chatbot "no-such-bot" (404)'
    )
  })

  // Retried faults only fail when they last until the deadline; test/faults.test.ts has the ones that pass.
  it('says Chatbase kept rate-limiting (429) once retries reach the deadline', async () => {
    h.chatbase.injectFault({ path: '/chat', status: 429, times: 100 })
    const impatient = h.driver.withConfiguration({ ...h.configuration, timeoutSeconds: 2 })
    const started = Date.now()
    const message = await failureOf('messageChatbot', { message: 'hi' }, impatient)

    expect(message).toMatch(
      /^Could not get an answer from the chatbot\. Chatbase kept rate-limiting requests \(429 Too Many Requests\) for [\d.]+ s \(\d+ attempts\); another try would not fit within the 2 s the action may take/
    )
    expect(Date.now() - started).toBeLessThan(2_750)
  })

  it.each([500, 502, 503])(
    'says Chatbase kept having server errors (%i) on a read retried until the deadline',
    async (status) => {
      h.chatbase.injectFault({ path: '/get-leads', status, times: 100 })
      const impatient = h.driver.withConfiguration({ ...h.configuration, timeoutSeconds: 2 })

      expect(await failureOf('getLeads', {}, impatient)).toContain(
        `Chatbase kept answering with a server error (${status}) for`
      )
    }
  )

  it("gives Chatbase's own words for a 500 on a write, which is not repeated", async () => {
    h.chatbase.injectFault({ path: '/update-chatbot-data', status: 500 })

    expect(await failureOf('updateChatbotData', { chatbotName: 'Renamed' }, onV1())).toBe(
      'Could not update the chatbot data. Chatbase had a server error (500): Internal server error. Try again later.'
    )
    expect(h.chatbase.requests).toHaveLength(1)
  })

  it('names what the output needs and Chatbase left out: a chatbot without an id', async () => {
    h.chatbase.injectFault({
      path: '/get-chatbots',
      status: 200,
      body: JSON.stringify({ chatbots: { data: [{ id: 'b1' }, { name: 'Nameless' }], error: null } }),
    })

    expect(await failureOf('listChatbots', {}, onV1())).toBe(
      'Could not list the chatbots. Chatbase answered 200 with an unexpected response ("1": the chatbot has no id (id, chatbotId, chatbot_id)).'
    )
  })

  it('says the answer was too large to read, rather than running out of memory', async () => {
    h.chatbase.injectFault({
      path: '/get-leads',
      status: 200,
      body: `{"data":[${'{"id":1,"chatbot_id":"bot"},'.repeat(500_000)}{"id":2}]}`,
    })

    expect(await failureOf('getLeads', {})).toBe(
      "Could not get the leads. Chatbase's answer was larger than 10 MB, the most the integration reads."
    )
  })

  it('says Chatbase did not answer in time, after the configured timeout', async () => {
    h.chatbase.injectFault({ path: '/chat', delayMs: 3_000 })
    const impatient = h.driver.withConfiguration({ ...h.configuration, timeoutSeconds: 1 })
    const started = Date.now()
    const message = await failureOf('messageChatbot', { message: 'hi' }, impatient)

    expect(message).toContain('Chatbase did not answer within 1 s (timeout)')
    expect(Date.now() - started).toBeLessThan(2_900)
  })

  it('says Chatbase could not be reached when resets persist, after checking the contact was not created', async () => {
    h.chatbase.injectFault({ method: 'POST', path: /\/contacts$/, resetConnection: true, times: 5 })
    const message = await failureOf('createContact', { externalId: 'u-reset' })

    expect(message).toMatch(
      /^Could not create the contact\. Chatbase did not confirm the contact was created \(Could not reach Chatbase \(ECONNRESET\)/
    )
    expect(h.chatbase.requests.filter((request) => request.method === 'POST')).toHaveLength(2)
    expect(h.chatbase.requests.filter((request) => request.method === 'GET')).toHaveLength(2)
  })

  it('says the answer was unexpected when Chatbase sends an HTML page', async () => {
    h.chatbase.injectFault({
      path: '/chat',
      status: 200,
      body: '<html><body>Bad gateway</body></html>',
      headers: { 'content-type': 'text/html' },
    })

    expect(await failureOf('messageChatbot', { message: 'hi' })).toContain(
      'Chatbase answered 200 with an unexpected response (not JSON)'
    )
  })

  it('says the answer was unexpected when the JSON is truncated or lacks a field', async () => {
    h.chatbase.injectFault({ path: '/chat', status: 200, body: '{"text": "Hel' })
    expect(await failureOf('messageChatbot', { message: 'hi' })).toContain('unexpected response (not JSON)')

    h.chatbase.injectFault({ path: '/chat', status: 200, body: '{"answer": "Hello"}' })
    expect(await failureOf('messageChatbot', { message: 'hi' })).toContain('unexpected response ("text": Required)')
  })
})
