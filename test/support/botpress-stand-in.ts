import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { IntegrationDriver } from './botpress-protocol'

/*
 * A local stand-in for the parts of Botpress Cloud the integration meets:
 * - the Botpress API its client calls (BP_API_URL): POST /v1/chat/events, recorded and answered like the real API;
 * - the public webhook URL: a request to /webhooks/<webhookId> is relayed to the integration as `webhook_received`,
 *   and the integration's answer is relayed back to the caller (Chatbase).
 */

export type RecordedEvent = {
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  headers: http.IncomingHttpHeaders
}

export type RecordedApiRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }

export interface BotpressStandIn {
  /** What the integration gets as BP_API_URL. */
  readonly url: string
  readonly token: string
  readonly events: RecordedEvent[]
  readonly requests: RecordedApiRequest[]
  /** Where Chatbase must send webhooks: what `register` receives as webhookUrl. */
  webhookUrl(webhookId: string): string
  /** Routes that webhook id's requests to a served integration. */
  connect(driver: IntegrationDriver): void
  /** The next `times` createEvent calls answer `status`. */
  failEvents(times: number, status: number): void
  reset(): void
  close(): Promise<void>
}

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

export const startBotpressStandIn = async (token = 'standin-bot-token'): Promise<BotpressStandIn> => {
  const events: RecordedEvent[] = []
  const requests: RecordedApiRequest[] = []
  const drivers = new Map<string, IntegrationDriver>()
  let eventFailures: { times: number; status: number } | undefined

  const createEvent = (req: http.IncomingMessage, body: string, res: http.ServerResponse): void => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 401, { code: 401, type: 'Unauthorized', message: 'Invalid token' })
    }
    if (eventFailures && eventFailures.times > 0) {
      eventFailures.times -= 1
      return sendJson(res, eventFailures.status, { code: eventFailures.status, type: 'Internal', message: 'Injected failure' })
    }
    const { type, payload, conversationId, userId } = JSON.parse(body)
    if (typeof type !== 'string' || typeof payload !== 'object' || payload === null) {
      return sendJson(res, 400, { code: 400, type: 'InvalidPayload', message: 'type and payload are required' })
    }
    events.push({ type, payload, conversationId, userId, headers: req.headers })
    const now = new Date().toISOString()
    sendJson(res, 200, {
      event: { id: `evt_${randomUUID()}`, createdAt: now, type, payload, conversationId, userId, status: 'pending', failureReason: null },
    })
  }

  const relayWebhook = async (webhookId: string, req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const driver = drivers.get(webhookId)
    if (!driver) {
      return sendJson(res, 404, { message: 'No integration behind this webhook' })
    }
    const url = new URL(req.url ?? '/', 'http://stand-in')
    const answer = await driver.webhook({
      method: req.method ?? 'GET',
      path: url.pathname.slice(`/webhooks/${webhookId}`.length),
      query: url.search.slice(1),
      headers: req.headers,
      body,
    })
    res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' }).end(answer.body)
  }

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname
    const webhook = /^\/webhooks\/([^/]+)/.exec(path)
    if (webhook?.[1]) {
      return relayWebhook(webhook[1], req, body, res)
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    if (req.method === 'POST' && path === '/v1/chat/events') {
      return createEvent(req, body, res)
    }
    sendJson(res, 404, { code: 404, type: 'ResourceNotFound', message: `${req.method} ${path} is not served by the stand-in` })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    token,
    events,
    requests,
    webhookUrl: (webhookId) => `${url}/webhooks/${webhookId}`,
    connect: (driver) => drivers.set(driver.installation.webhookId, driver),
    failEvents: (times, status) => {
      eventFailures = { times, status }
    },
    reset: () => {
      events.length = 0
      requests.length = 0
      eventFailures = undefined
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
