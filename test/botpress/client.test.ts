import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { botpressApi, botpressFailure, type BotpressFailure } from '../../src/botpress/client'
import { testInstallation } from '../support/botpress-protocol'
import { platformClient, startBotpressStandIn, type BotpressStandIn } from '../support/botpress-stand-in'

/*
 * The integration's calls to the Botpress API, through @botpress/client, against the stand-in over HTTP: what reaches
 * Botpress, how each answer is read, what is retried within a call's budget and what is not.
 */

const installation = testInstallation({})
const TRACE = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'bp=1',
  'sentry-trace': '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1',
}
let botpress: BotpressStandIn

beforeAll(async () => {
  botpress = await startBotpressStandIn()
})
beforeEach(() => botpress.reset())
afterAll(() => botpress.close())

const api = (budgetMs = 2_000, url = botpress.url, token = botpress.token) =>
  botpressApi(platformClient({ url, token }, installation, TRACE), budgetMs)

/** The failure a call ended with; fails the test if it succeeded. */
const failureOf = async (call: Promise<unknown>): Promise<BotpressFailure> => {
  const thrown = await call.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(thrown, 'the call was expected to fail').toBeInstanceOf(Error)
  return botpressFailure(thrown)
}

/** How long a call took, and what it ended with. */
const timed = async (call: () => Promise<unknown>) => {
  const started = Date.now()
  const outcome = await call().then(
    () => undefined,
    (error: unknown) => botpressFailure(error)
  )
  return { ms: Date.now() - started, failure: outcome }
}

const lead = { type: 'leadSubmitted', payload: { chatbotId: 'bot-1', conversationId: 'c-1' } } as const
const transcript = { type: 'conversation', id: 'conv-client', name: 'chatbaseTranscript' } as const
const payload = { messages: [{ role: 'user' as const, content: 'Hi' }] }

describe('what reaches Botpress', () => {
  it('sends each call as the SDK’s client of the request: its ids, its token and its trace headers', async () => {
    const client = api()
    await client.setState({ ...transcript, payload, expiry: 60_000 })
    await client.getState(transcript)
    await client.createEvent({ ...lead, conversationId: 'conv-1' })

    expect(botpress.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /v1/chat/states/conversation/conv-client/chatbaseTranscript',
      'GET /v1/chat/states/conversation/conv-client/chatbaseTranscript',
      'POST /v1/chat/events',
    ])
    for (const { headers } of botpress.requests) {
      expect(headers).toMatchObject({
        authorization: `Bearer ${botpress.token}`,
        'x-bot-id': installation.botId,
        'x-integration-id': installation.integrationId,
        'x-integration-alias': installation.integrationAlias,
        ...TRACE,
      })
    }
    expect(JSON.parse(botpress.requests[0]!.body)).toEqual({ payload, expiry: 60_000 })
    expect(botpress.events).toEqual([expect.objectContaining({ ...lead, conversationId: 'conv-1' })])
  })
})

describe('how answers are read', () => {
  it('gives back the state it wrote, and says a state never written is not found', async () => {
    const client = api()
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
    [500, 'failed'],
  ] as const)('takes an API error %i of createEvent as %s, after one try', async (status, kind) => {
    botpress.injectFault({ operation: 'createEvent', status })
    const failure = await failureOf(api().createEvent(lead))
    expect(failure).toEqual({ kind, reason: expect.stringMatching(new RegExp(`^${status} `)) })
    expect(botpress.requests).toHaveLength(1)
    expect(botpress.events).toHaveLength(0)
  })

  it('never names the token in what a failure says', async () => {
    const failure = await failureOf(api(2_000, botpress.url, 'bp-token-never-printed').getState(transcript))
    expect(failure.kind).toBe('refused')
    expect(JSON.stringify(failure)).not.toContain('bp-token-never-printed')
  })
})

describe('retries, by the SDK’s rule, within the budget', () => {
  it('reads again after a 500: a read changes nothing', async () => {
    await api().setState({ ...transcript, payload })
    botpress.injectFault({ operation: 'getState', status: 500 })
    const { state } = await api().getState(transcript)
    expect(state.payload).toEqual(payload)
    expect(botpress.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'GET'])
  })

  it('waits for the Retry-After of a 429, then creates the event once', async () => {
    botpress.injectFault({ operation: 'createEvent', status: 429, retryAfterSeconds: 1 })
    const { ms, failure } = await timed(() => api(3_000).createEvent(lead))
    expect(failure).toBeUndefined()
    expect(ms).toBeGreaterThanOrEqual(950)
    expect(botpress.requests).toHaveLength(2)
    expect(botpress.events).toHaveLength(1)
  })

  it('does not wait for a Retry-After past the budget: the 429 is the answer, at once', async () => {
    botpress.injectFault({ operation: 'createEvent', status: 429, retryAfterSeconds: 5 })
    const { ms, failure } = await timed(() => api(2_000).createEvent(lead))
    expect(failure).toEqual({ kind: 'failed', reason: expect.stringMatching(/^429 RateLimited: /) })
    expect(ms).toBeLessThan(1_000)
    expect(botpress.requests).toHaveLength(1)
  })

  it('sends a createEvent whose answer was lost once more: the event may exist twice, but not be missing', async () => {
    botpress.injectFault({ operation: 'createEvent', loseAnswer: true })
    await api(3_000).createEvent(lead)
    expect(botpress.requests).toHaveLength(2)
    expect(botpress.events).toHaveLength(2)
  })

  it('sends it once more only: a second lost answer says Botpress may have acted', async () => {
    botpress.injectFault({ operation: 'createEvent', loseAnswer: true, times: 2 })
    const failure = await failureOf(api(3_000).createEvent(lead))
    expect(failure).toEqual({ kind: 'unanswered', reason: expect.stringMatching(/socket hang up|ECONNRESET/) })
    expect(botpress.requests).toHaveLength(2)
  })

  it('says Botpress may have acted when a lost answer is followed by an error', async () => {
    botpress.injectFault({ operation: 'createEvent', loseAnswer: true })
    botpress.injectFault({ operation: 'createEvent', status: 500 })
    const failure = await failureOf(api(3_000).createEvent(lead))
    expect(failure).toEqual({
      kind: 'unanswered',
      reason: expect.stringMatching(/^an earlier try went unanswered, then 500 /),
    })
    expect(botpress.events).toHaveLength(1)
  })

  it('sends a createEvent answered 502 once more, and says Botpress did not act when it answers 502 again', async () => {
    botpress.injectFault({ operation: 'createEvent', status: 502, times: 2 })
    const failure = await failureOf(api(3_000).createEvent(lead))
    expect(failure).toEqual({ kind: 'failed', reason: expect.stringMatching(/^502 /) })
    expect(botpress.requests).toHaveLength(2)
    expect(botpress.events).toHaveLength(0)
  })

  it('gives up on a stalled call at its budget, naming it, without another try', async () => {
    botpress.injectFault({ operation: 'getState', stallMs: 1_500 })
    const { ms, failure } = await timed(() => api(300).getState(transcript))
    expect(failure).toEqual({ kind: 'unanswered', reason: 'Botpress did not answer within 0.3 s' })
    expect(ms).toBeLessThan(600)
    expect(botpress.requests).toHaveLength(1)
  })

  it('ends within its budget with the stand-in answering after a delay, and succeeds when the delay fits', async () => {
    botpress.behave({ latencyMs: 400 })
    expect((await timed(() => api(200).getState(transcript))).failure?.kind).toBe('unanswered')
    const { ms, failure } = await timed(() => api(2_000).createEvent(lead))
    expect(failure).toBeUndefined()
    expect(ms).toBeGreaterThanOrEqual(390)
  })
})

describe('answers that are not the API’s', () => {
  type Reply = (res: http.ServerResponse) => void
  let reply: Reply
  let server: http.Server
  let url: string
  let received = 0

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received++
      req.resume()
      req.on('end', () => reply(res))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  beforeEach(() => {
    received = 0
  })
  afterAll(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // The trickling answer's connection: the call gave up on it, but only the server ends it.
    server.closeAllConnections()
    await closed
  })

  it('takes a gateway page as unanswered (Botpress itself said nothing), after one more try', async () => {
    reply = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>')
    const failure = await failureOf(api(3_000, url).createEvent(lead))
    expect(failure).toEqual({ kind: 'unanswered', reason: 'HTTP 502 from something in front of the Botpress API' })
    expect(received).toBe(2)
  })

  it('refuses a state answer without a state', async () => {
    reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"state":{"id":"s"}}')
    expect(await failureOf(api(2_000, url).getState(transcript))).toEqual({
      kind: 'failed',
      reason: 'Botpress answered without the state',
    })
  })

  it('bounds an answer that trickles in by the whole call, not by the gap between bytes', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100)
      res.on('close', () => clearInterval(drip))
    }
    const { ms, failure } = await timed(() => api(500, url).getState(transcript))
    expect(failure).toEqual({ kind: 'unanswered', reason: 'Botpress did not answer within 0.5 s' })
    expect(ms).toBeLessThan(900)
  })
})
