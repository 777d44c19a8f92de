import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ChatbaseError } from '../../src/chatbase/errors'
import { ChatbaseTransport, MAX_RESPONSE_BYTES } from '../../src/chatbase/transport'
import type { RetryPolicy } from '../../src/chatbase/retry'
import { chatResponse, createContactsResponse, leadsResponse } from '../../src/chatbase/v1/wire'
import { z } from '@botpress/sdk'
import { Deadline } from '../../src/deadline'
import { startChatbaseEmulator, type ChatbaseEmulator } from '../support/chatbase-emulator'

const CHATBOT_ID = 'transport-bot'
const CONTACTS = `/chatbots/${CHATBOT_ID}/contacts`

let chatbase: ChatbaseEmulator
beforeAll(async () => {
  chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID] })
})
beforeEach(() => chatbase.reset())
afterAll(() => chatbase.close())

const transport = (timeoutMs = 10_000, baseUrl = chatbase.url) =>
  new ChatbaseTransport({ apiKey: chatbase.apiKey, deadline: new Deadline(timeoutMs), baseUrls: { v1: baseUrl } })

const createContact = (policy?: RetryPolicy, on = transport()) =>
  on.request({
    method: 'POST',
    path: CONTACTS,
    body: { users: [{ external_id: 'u-1' }] },
    responseSchema: createContactsResponse,
    operation: 'create the contact',
    target: `chatbot "${CHATBOT_ID}"`,
    ...(policy !== undefined && { policy }),
  })

const getLeads = (on = transport()) =>
  on.request({
    method: 'GET',
    path: '/get-leads',
    query: { chatbotId: CHATBOT_ID },
    responseSchema: leadsResponse,
    operation: 'get the leads',
    target: `chatbot "${CHATBOT_ID}"`,
  })

const failureOf = (promise: Promise<unknown>): Promise<ChatbaseError> =>
  promise.then(
    () => expect.fail('expected a ChatbaseError'),
    (thrown: unknown) => {
      expect(thrown).toBeInstanceOf(ChatbaseError)
      return thrown as ChatbaseError
    }
  )

const sent = (method: string, path: string) =>
  chatbase.requests.filter((request) => request.method === method && request.path === path).length

const deleteContact = (contactId: string, on = transport()) =>
  on.request({
    method: 'DELETE',
    path: `${CONTACTS}/${contactId}`,
    ignoreBody: true,
    goneMeansDone: true,
    operation: 'delete the contact',
    target: `contact "${contactId}"`,
  })

const chat = (on = transport()) =>
  on.request({
    method: 'POST',
    path: '/chat',
    body: { chatbotId: CHATBOT_ID, messages: [{ role: 'user', content: 'hi' }] },
    policy: 'billed',
    responseSchema: chatResponse,
    operation: 'get an answer from the chatbot',
    target: `chatbot "${CHATBOT_ID}"`,
  })

describe('ChatbaseTransport retries', () => {
  it('takes the 404 of a repeated DELETE as done when the first attempt may have gone through', async () => {
    chatbase.injectFault({ method: 'DELETE', status: 502 })

    await expect(deleteContact('already-gone')).resolves.toBeUndefined()
    expect(sent('DELETE', `${CONTACTS}/already-gone`)).toBe(2)
  })

  it('still reports the 404 of a DELETE whose first attempt was answered', async () => {
    const error = await failureOf(deleteContact('never-there'))

    expect(error).toMatchObject({ status: 404, delivery: 'answered' })
    expect(error.message).toContain('Chatbase found no contact "never-there" (404)')
  })

  it('does not repeat a POST that may have reached Chatbase, and says the outcome is unknown', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 502 })
    const error = await failureOf(createContact())

    expect(error).toMatchObject({ delivery: 'unknown', status: 502 })
    expect(error.message).toContain('Chatbase may have carried out the request anyway')
    expect(sent('POST', CONTACTS)).toBe(1)
  })

  it('repeats the same POST after a gateway error when its policy is an idempotent write', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 503 })
    const response = await createContact('idempotent-write')

    expect(response.data.created).toHaveLength(1)
    expect(sent('POST', CONTACTS)).toBe(2)
  })

  it('repeats a POST that Chatbase refused with 429, and creates the contact once', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 429, headers: { 'retry-after': '0' } })
    await createContact()

    expect(sent('POST', CONTACTS)).toBe(2)
    expect(chatbase.contacts(CHATBOT_ID)).toHaveLength(1)
  })

  it('repeats a GET after a reset and after a gateway error', async () => {
    chatbase.injectFault({ path: '/get-leads', resetConnection: true })
    chatbase.injectFault({ path: '/get-leads', status: 504 })

    expect(await getLeads()).toEqual([])
    expect(sent('GET', '/get-leads')).toBe(3)
  })

  it('does not repeat what Chatbase answered (4xx), nor a write it answered with 500', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 409 })
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 500 })

    expect(await failureOf(createContact())).toMatchObject({ delivery: 'answered', status: 409 })
    expect(await failureOf(createContact('idempotent-write'))).toMatchObject({ delivery: 'unknown', status: 500 })
    expect(chatbase.requests).toHaveLength(2)
  })

  it('repeats a read after a 500', async () => {
    chatbase.injectFault({ path: '/get-leads', status: 500 })

    expect(await getLeads()).toEqual([])
    expect(sent('GET', '/get-leads')).toBe(2)
  })

  it('sends /chat again only once per action after failures that may have reached Chatbase', async () => {
    chatbase.injectFault({ path: '/chat', status: 502, times: 3 })
    const shared = transport()
    const error = await failureOf(chat(shared))

    expect(sent('POST', '/chat')).toBe(2)
    expect(error).toMatchObject({ delivery: 'unknown', status: 502 })
    expect(error.message).toBe(
      'Could not get an answer from the chatbot. Chatbase had a server error (502): Bad Gateway. Try again later. Chatbase may have carried out the request anyway: each send may use a message credit, so it is sent again at most once.'
    )
    // The resend is spent for the whole action, whatever request comes next.
    await failureOf(chat(shared))
    expect(sent('POST', '/chat')).toBe(3)
  })

  it('keeps retrying /chat after 429s, which prove nothing was done, once a reset has used its one resend', async () => {
    chatbase.injectFault({ path: '/chat', resetConnection: true })
    chatbase.injectFault({ path: '/chat', status: 429, headers: { 'retry-after': '0' }, times: 2 })

    expect(await chat()).toEqual({ text: expect.any(String) })
    expect(sent('POST', '/chat')).toBe(4)
  })

  it('retries a refused connection, even for a POST, until the deadline, and says nothing was sent', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const started = Date.now()
    const error = await failureOf(createContact('creation', transport(2_000, `http://127.0.0.1:${port}/api/v1`)))

    expect(error.delivery).toBe('not-sent')
    expect(error.message).toMatch(
      /^Could not create the contact\. Chatbase stayed unreachable \(ECONNREFUSED\) for [\d.]+ s \(\d+ attempts\); another try would not fit within the 2 s/
    )
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('gives up at once when Retry-After asks for longer than the deadline leaves', async () => {
    chatbase.injectFault({ path: '/get-leads', status: 429, headers: { 'retry-after': '30' } })
    const error = await failureOf(getLeads(transport(5_000)))

    expect(error.message).toBe(
      'Could not get the leads. Chatbase is rate-limiting requests (429 Too Many Requests); waiting the 30 s Chatbase asked for (Retry-After) would leave no time for another try within the 5 s the action may take ("Timeout (seconds)" in the configuration). Wait a moment and try again.'
    )
    expect(error).toMatchObject({ delivery: 'answered', status: 429 })
    expect(sent('GET', '/get-leads')).toBe(1)
  })

  it('shares one deadline between all requests of an action', async () => {
    const shared = transport(1_000)
    chatbase.injectFault({ path: '/get-leads', delayMs: 600, times: 2 })
    await getLeads(shared)
    const error = await failureOf(getLeads(shared))

    expect(error.message).toContain('Chatbase did not answer within 1 s (timeout)')
    expect(error.delivery).toBe('unknown')
  })

  it('takes any 2xx as success when the body is not needed, and asks a body of the others', async () => {
    const answers = [
      { status: 204, body: '' },
      { status: 200, body: '' },
      { status: 202, body: 'Chatbot settings updated successfully', headers: { 'content-type': 'text/plain' } },
      { status: 200, body: '{"message":"Deleted successfully"}' },
    ]
    answers.forEach((answer) => chatbase.injectFault({ path: '/get-leads', ...answer }))
    const request = { method: 'GET' as const, path: '/get-leads', operation: 'delete it', target: 'it' }

    for (const _ of answers) {
      expect(await transport().request({ ...request, ignoreBody: true })).toBeUndefined()
    }
    chatbase.injectFault({ path: '/get-leads', status: 204, body: '' })
    expect((await failureOf(transport().request({ ...request, responseSchema: leadsResponse }))).message).toContain(
      'Chatbase answered 204 with an unexpected response'
    )
  })
})

describe('ChatbaseTransport answers it does not take', () => {
  it('reports a redirect with where it pointed, without following it or showing the key', async () => {
    const location = `${chatbase.url}/get-leads?key=${chatbase.apiKey}`
    chatbase.injectFault({ path: '/get-leads', status: 302, headers: { location } })
    const error = await failureOf(getLeads())

    expect(error.message).toBe(
      `Could not get the leads. Chatbase answered 302 and tried to send the request to "${chatbase.url}/get-leads?key=[redacted]". Redirects are not followed, so nothing was sent there.`
    )
    expect(error).toMatchObject({ status: 302, delivery: 'answered' })
    expect(chatbase.requests).toHaveLength(1)
  })

  it('fails cleanly on an answer over the size cap, a success or not', async () => {
    const huge = `{"data":[${'{"id":1,"chatbot_id":"b"},'.repeat(MAX_RESPONSE_BYTES / 25)}{"id":2,"chatbot_id":"b"}]}`
    chatbase.injectFault({ path: '/get-leads', status: 200, body: huge })
    chatbase.injectFault({ path: '/get-leads', status: 400, body: huge })

    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(getLeads())
      expect(error.message).toBe(
        "Could not get the leads. Chatbase's answer was larger than 10 MB, the most the integration reads."
      )
    }
    expect(chatbase.requests).toHaveLength(2)
  })

  it('shows every issue of a 400, whatever its shape, with Studio field names', async () => {
    const issues = [
      { field: 'custom_attributes.age', message: 'Expected number' },
      { path: ['stripe_accounts', 0, 'stripe_id'], message: 'Required' },
      { message: 'One of name or email is needed' },
      'phonenumber is malformed',
      { code: 'too_big', maximum: 1000 },
    ]
    chatbase.injectFault({
      path: '/get-leads',
      status: 400,
      body: JSON.stringify({ message: 'Invalid request body', issues }),
    })

    expect((await failureOf(getLeads())).message).toBe(
      'Could not get the leads. Chatbase rejected the request (400): Invalid request body (customAttributes.age: Expected number; stripeAccounts.0.stripeId: Required; One of name or email is needed; phonenumber is malformed; {"code":"too_big","maximum":1000})'
    )
  })

  it('reads issues given as a map of field to message, and issues without a message', async () => {
    chatbase.injectFault({
      path: '/get-leads',
      status: 400,
      body: JSON.stringify({ issues: { external_id: 'Required' } }),
    })

    expect((await failureOf(getLeads())).message).toBe(
      'Could not get the leads. Chatbase rejected the request (400): externalId: Required'
    )
  })

  it('never shows the API key that Chatbase echoes in a message or an issue', async () => {
    const key = chatbase.apiKey
    chatbase.injectFault({
      path: '/get-leads',
      status: 400,
      body: JSON.stringify({
        message: `Bad key ${key}`,
        issues: [{ field: 'authorization', message: `Bearer ${encodeURIComponent(key)}` }],
      }),
    })

    expect((await failureOf(getLeads())).message).toBe(
      'Could not get the leads. Chatbase rejected the request (400): Bad key [redacted] (authorization: Bearer [redacted])'
    )
  })
})

describe('ChatbaseTransport on API v2', () => {
  const v2Transport = (timeoutMs = 10_000) =>
    new ChatbaseTransport({
      apiKey: chatbase.apiKey,
      deadline: new Deadline(timeoutMs),
      baseUrls: { v2: chatbase.v2Url },
    })
  const AGENT = `/agents/${CHATBOT_ID}`
  // A creation, which no failure that may have reached Chatbase repeats.
  const cloneAgent = (on = v2Transport()) =>
    on.request({
      api: 'v2',
      method: 'POST',
      path: `${AGENT}/clone`,
      responseSchema: z.object({ id: z.string() }),
      operation: 'clone the AI agent',
      target: `AI agent "${CHATBOT_ID}"`,
    })
  const clones = () => chatbase.requests.filter((request) => request.api === 'v2' && request.path === `${AGENT}/clone`)

  it.each(['ms', 's'] as const)(
    'waits for the rate window to reset (X-RateLimit-Reset in %s) after a 429 without Retry-After',
    async (unit) => {
      chatbase.setRateLimitResetUnit(unit)
      const resetAt = Date.now() + 1_500
      const reset = unit === 'ms' ? String(resetAt) : String(Math.ceil(resetAt / 1000))
      chatbase.injectFault({ api: 'v2', path: `${AGENT}/clone`, status: 429, headers: { 'x-ratelimit-reset': reset } })
      const started = Date.now()

      expect(await cloneAgent()).toEqual({ id: expect.any(String) })
      expect(clones()).toHaveLength(2)
      // Waited for the reset, not the first backoff (at most 500 ms).
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    }
  )

  it('sends a creation again after scheduled maintenance, which read and wrote nothing', async () => {
    chatbase.injectFault({
      api: 'v2',
      path: `${AGENT}/clone`,
      status: 503,
      body: JSON.stringify({ error: { code: 'SERVICE_UNDER_MAINTENANCE', message: 'Scheduled maintenance' } }),
      headers: { 'content-type': 'application/json', 'retry-after': '0' },
    })

    expect(await cloneAgent()).toEqual({ id: expect.any(String) })
    expect(clones()).toHaveLength(2)
  })

  it("names the fields Chatbase's details name, and gives its request id", async () => {
    const error = await failureOf(
      v2Transport().request({
        api: 'v2',
        method: 'POST',
        path: `${AGENT}/sources`,
        body: { type: 'text', name: '' },
        responseSchema: z.object({ id: z.string() }),
        operation: 'add the source',
        target: `AI agent "${CHATBOT_ID}"`,
      })
    )

    expect(error.status).toBe(400)
    expect(error.chatbaseCode).toBe('VALIDATION_INVALID_BODY')
    expect(error.message).toMatch(/^Could not add the source\. Chatbase rejected the request \(400\): .*name/)
    expect(error.message).toMatch(/Chatbase request ID: \S+\.$/)
  })
})
