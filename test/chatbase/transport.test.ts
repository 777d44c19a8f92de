import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from '@botpress/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ChatbaseError } from '../../src/chatbase/errors'
import { ChatbaseTransport } from '../../src/chatbase/transport'
import { createContactsResponse, leadsResponse } from '../../src/chatbase/wire'
import { startChatbaseEmulator, type ChatbaseEmulator } from '../support/chatbase-emulator'

const CHATBOT_ID = 'transport-bot'
const CONTACTS = `/chatbots/${CHATBOT_ID}/contacts`

let chatbase: ChatbaseEmulator
beforeAll(async () => {
  chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID] })
})
beforeEach(() => chatbase.reset())
afterAll(() => chatbase.close())

const transport = (timeoutMs = 10_000, baseUrl = chatbase.url) => new ChatbaseTransport({ apiKey: chatbase.apiKey, timeoutMs, baseUrl })

const createContact = (idempotent?: boolean, on = transport()) =>
  on.request({
    method: 'POST',
    path: CONTACTS,
    body: { users: [{ external_id: 'u-1' }] },
    responseSchema: createContactsResponse,
    operation: 'create the contact',
    target: `chatbot "${CHATBOT_ID}"`,
    ...(idempotent !== undefined && { idempotent }),
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

const sent = (method: string, path: string) => chatbase.requests.filter((request) => request.method === method && request.path === path).length

const deleteContact = (contactId: string, on = transport()) =>
  on.request({
    method: 'DELETE',
    path: `${CONTACTS}/${contactId}`,
    responseSchema: z.unknown(),
    operation: 'delete the contact',
    target: `contact "${contactId}"`,
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

  it('repeats the same POST after a gateway error when the request is marked idempotent', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 503 })
    const response = await createContact(true)

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

    expect(await getLeads()).toEqual({ data: [] })
    expect(sent('GET', '/get-leads')).toBe(3)
  })

  it('does not repeat what Chatbase answered (4xx, 500): the outcome is known', async () => {
    chatbase.injectFault({ method: 'POST', path: CONTACTS, status: 409 })
    chatbase.injectFault({ path: '/get-leads', status: 500 })

    expect(await failureOf(createContact())).toMatchObject({ delivery: 'answered', status: 409 })
    expect(await failureOf(getLeads())).toMatchObject({ delivery: 'unknown', status: 500 })
    expect(chatbase.requests).toHaveLength(2)
  })

  it('retries a refused connection, even for a POST, until the deadline, and says nothing was sent', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const started = Date.now()
    const error = await failureOf(createContact(false, transport(2_000, `http://127.0.0.1:${port}/api/v1`)))

    expect(error.delivery).toBe('not-sent')
    expect(error.message).toMatch(/^Could not create the contact\. Chatbase stayed unreachable \(ECONNREFUSED\) for [\d.]+ s \(\d+ attempts\); another try would not fit within the 2 s/)
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

  it('reads 204 No Content as no body', async () => {
    chatbase.injectFault({ path: '/get-leads', status: 204, body: '' })
    chatbase.injectFault({ path: '/get-leads', status: 204, body: '' })
    const request = { method: 'GET' as const, path: '/get-leads', operation: 'delete it', target: 'it' }

    expect(await transport().request({ ...request, responseSchema: z.unknown() })).toBeUndefined()
    expect((await failureOf(transport().request({ ...request, responseSchema: leadsResponse }))).message).toContain(
      'Chatbase answered 204 with an unexpected response'
    )
  })
})
