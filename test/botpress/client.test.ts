import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@botpress/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { boundedClient, botpressFailure, IDLE_CONNECTION_MS, type BotpressFailure } from '../../src/botpress/client'
import { testInstallation } from '../support/botpress-protocol'
import { startBotpressStandIn, type BotpressStandIn } from '../support/botpress-stand-in'

/*
 * The integration's own Botpress API client, over HTTP: it must send what @botpress/client sends for the same call,
 * and read every answer, a gateway's page or a dropped connection included, as the failure it is.
 */

const installation = testInstallation({})
let botpress: BotpressStandIn

beforeAll(async () => {
  botpress = await startBotpressStandIn()
})
beforeEach(() => {
  botpress.reset()
  process.env.BP_API_URL = botpress.url
  process.env.BP_TOKEN = botpress.token
})
afterAll(() => botpress.close())

const officialClient = () =>
  new Client({
    apiUrl: botpress.url,
    token: botpress.token,
    botId: installation.botId,
    integrationId: installation.integrationId,
    integrationAlias: installation.integrationAlias,
  })

/** What reaches the API of one call: what both clients must agree on. */
const sentBy = async (call: () => Promise<unknown>) => {
  botpress.reset()
  // An answer of either kind will do: the request is what is compared.
  await call().catch(() => undefined)
  expect(botpress.requests).toHaveLength(1)
  const [{ method, path, headers, body }] = botpress.requests as [(typeof botpress.requests)[number]]
  return {
    method,
    path,
    body: body ? JSON.parse(body) : undefined,
    authorization: headers.authorization,
    bot: headers['x-bot-id'],
    integration: headers['x-integration-id'],
    alias: headers['x-integration-alias'],
    json: body ? headers['content-type']?.startsWith('application/json') : undefined,
  }
}

/** The failure a call ended with; fails the test if it succeeded. */
const failureOf = async (call: Promise<unknown>): Promise<BotpressFailure> => {
  const thrown = await call.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(thrown, 'the call was expected to fail').toBeInstanceOf(Error)
  return botpressFailure(thrown)
}

const lead = { type: 'leadSubmitted', payload: { chatbotId: 'bot-1', conversationId: 'c-1' } } as const
const transcript = { type: 'conversation', id: 'conv-client', name: 'chatbaseTranscript' } as const
const payload = { messages: [{ role: 'user' as const, content: 'Hi' }] }

describe('boundedClient sends what @botpress/client sends', () => {
  const linkedLead = { ...lead, conversationId: 'conv-1' }
  const own = () => boundedClient(installation, 2_000)
  it.each([
    [
      'setState',
      () => own().setState({ ...transcript, payload, expiry: 60_000 }),
      () => officialClient().setState({ ...transcript, payload, expiry: 60_000 }),
    ],
    ['getState', () => own().getState(transcript), () => officialClient().getState(transcript)],
    ['createEvent', () => own().createEvent(linkedLead), () => officialClient().createEvent(linkedLead)],
  ])('for %s: method, path, body, token and ids', async (_name, ours, theirs) => {
    const official = await sentBy(theirs)
    const sent = await sentBy(ours)
    expect(sent).toEqual(official)
    expect(sent.authorization).toBe(`Bearer ${botpress.token}`)
  })
})

describe('boundedClient reads what the Botpress API answers', () => {
  it('gives back the state it wrote, and says a state never written is not found', async () => {
    const client = boundedClient(installation, 2_000)
    expect(await failureOf(client.getState(transcript))).toEqual({
      kind: 'not-found',
      reason: expect.stringMatching(/^404 ResourceNotFound: /),
    })
    await client.setState({ ...transcript, payload })
    const { state } = await client.getState(transcript)
    expect(state.payload).toEqual(payload)
  })

  it.each([
    [403, 'refused'],
    [400, 'refused'],
    [413, 'refused'],
    [429, 'failed'],
    [500, 'failed'],
  ] as const)('takes an API error %i as %s, after one attempt', async (status, kind) => {
    botpress.injectFault({ operation: 'createEvent', status })
    const failure = await failureOf(boundedClient(installation, 2_000).createEvent(lead))
    expect(failure.kind).toBe(kind)
    expect(failure.reason).toMatch(new RegExp(`^${status} `))
    expect(botpress.requests).toHaveLength(1)
    expect(botpress.events).toHaveLength(0)
  })

  it('takes a connection dropped after acting as unanswered, and does not send again', async () => {
    botpress.injectFault({ operation: 'createEvent', loseAnswer: true })
    const failure = await failureOf(boundedClient(installation, 2_000).createEvent(lead))
    expect(failure).toEqual({ kind: 'unanswered', reason: expect.stringContaining('ECONNRESET') })
    expect(botpress.events).toHaveLength(1)
    expect(botpress.requests).toHaveLength(1)
  })

  it('gives up on a stalled call at its bound, naming it, without a second attempt', async () => {
    botpress.injectFault({ operation: 'getState', stallMs: 1_500 })
    const failure = await failureOf(boundedClient(installation, 300).getState(transcript))
    expect(failure).toEqual({ kind: 'unanswered', reason: 'Botpress did not answer within 0.3 s' })
    expect(botpress.requests).toHaveLength(1)
  })
})

describe('boundedClient and answers that are not the API’s', () => {
  type Reply = (res: http.ServerResponse) => void
  let reply: Reply
  let server: http.Server
  let connections = 0

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => reply(res))
    })
    // Keeps connections far longer than the client does, as a balancer may: the client's own bound is what counts.
    server.keepAliveTimeout = 60_000
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  beforeEach(() => {
    process.env.BP_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    process.env.BP_TOKEN = 'bp-token-never-printed'
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const answering =
    (status: number, body: string | Buffer, type = 'application/json'): Reply =>
    (res) =>
      res.writeHead(status, { 'content-type': type }).end(body)

  it('takes a gateway page as unanswered: Botpress itself said nothing', async () => {
    reply = answering(502, '<html>Bad Gateway</html>', 'text/html')
    const failure = await failureOf(boundedClient(installation, 2_000).createEvent(lead))
    expect(failure).toEqual({ kind: 'unanswered', reason: 'HTTP 502 from something in front of the Botpress API' })
  })

  it('accepts any 2xx body where nothing is read of it, and refuses a state answer without a state', async () => {
    reply = answering(200, 'OK', 'text/plain')
    const client = boundedClient(installation, 2_000)
    await expect(client.createEvent(lead)).resolves.toBeUndefined()
    await expect(client.setState({ ...transcript, payload })).resolves.toBeUndefined()
    reply = answering(200, JSON.stringify({ state: { id: 's' } }))
    expect(await failureOf(client.getState(transcript))).toEqual({
      kind: 'failed',
      reason: 'Botpress answered without the state',
    })
  })

  it('takes extra fields and nulls in a state answer as they come', async () => {
    reply = answering(200, JSON.stringify({ state: { payload, id: null, extra: [1] }, meta: {} }))
    const { state } = await boundedClient(installation, 2_000).getState(transcript)
    expect(state.payload).toEqual(payload)
  })

  it('stops reading an answer past 1 MB', async () => {
    reply = answering(200, Buffer.alloc(3 * 1024 * 1024, 'a'))
    const failure = await failureOf(boundedClient(installation, 2_000).getState(transcript))
    expect(failure).toEqual({ kind: 'unanswered', reason: "Botpress's answer passed 1048576 bytes" })
  })

  it('reuses a connection between calls, but not one idle for longer than its bound', async () => {
    reply = answering(200, '{}')
    const client = boundedClient(installation, 2_000)
    await client.createEvent(lead)
    const before = connections
    await client.createEvent(lead)
    expect(connections).toBe(before)
    await new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTION_MS + 500))
    await client.createEvent(lead)
    expect(connections).toBe(before + 1)
  }, 10_000)

  it('never names the token in what a failure says', async () => {
    reply = (res) => res.destroy()
    const failure = await failureOf(boundedClient(installation, 2_000).getState(transcript))
    expect(failure.kind).toBe('unanswered')
    expect(JSON.stringify(failure)).not.toContain('bp-token-never-printed')
  })
})
