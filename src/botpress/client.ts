import http from 'node:http'
import https from 'node:https'
import type { IntegrationSpecificClient } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import { parseJsonOrUndefined } from '../json'

/** A state payload, serialised as JSON, may hold this many bytes (Botpress's `state_item_payload_bytes`). */
export const STATE_PAYLOAD_LIMIT_BYTES = 128 * 1024

/** The three Botpress API calls the integration makes, typed by its definition as the SDK's own client types them. */
export type BotpressClient = Pick<
  IntegrationSpecificClient<ChatbaseIntegration>,
  'getState' | 'setState' | 'createEvent'
>
type Installation = { botId: string; integrationId: string; integrationAlias: string }

/**
 * What a failed Botpress call says about what Botpress did:
 * - `not-found`: it has no such thing (a state never written, or expired);
 * - `refused`: it answered that it will not do this (403, 400, 409, 413…): asking again gives the same answer;
 * - `failed`: it answered with an error of its own (5xx, 429), or an answer without what was asked: it did not act,
 *   and may succeed later;
 * - `unanswered`: no answer from Botpress itself (the bound passed, the connection was lost, a gateway page): it may
 *   have acted.
 */
export type BotpressFailure = { kind: 'not-found' | 'refused' | 'failed' | 'unanswered'; reason: string }

/** What every call of this client throws. */
export class BotpressCallFailed extends Error {
  public constructor(public readonly failure: BotpressFailure) {
    super(failure.reason)
  }
}

export const botpressFailure = (thrown: unknown): BotpressFailure =>
  thrown instanceof BotpressCallFailed
    ? thrown.failure
    : { kind: 'unanswered', reason: thrown instanceof Error ? thrown.message : 'unknown error' }

const DEFAULT_API_URL = 'https://api.botpress.cloud'
// A state holds 128 KB and an event answer a few: an answer far bigger is not one of these, and is not read whole.
const MAX_ANSWER_BYTES = 1024 * 1024
// Connections are kept open between calls, as @botpress/client keeps them: a warm call costs a fraction of a new one.
// One idle longer is closed first: a server or a balancer may have dropped it meanwhile (an instance that Cloud froze
// between invocations wakes up with such connections), and a call sent on it would end unanswered.
export const IDLE_CONNECTION_MS = 4_000
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
}

type Answer = { status: number; body: unknown }

/** The Botpress API's own error body (`{ id, code, type, message }`); a gateway's page or an empty body is not one. */
const apiErrorOf = (body: unknown): { code: number; type: string; message: string } | undefined => {
  const { code, type, message } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  return typeof code === 'number' && typeof type === 'string'
    ? { code, type, message: typeof message === 'string' ? message : '' }
    : undefined
}

const failureOf = ({ status, body }: Answer): BotpressFailure => {
  const error = apiErrorOf(body)
  if (!error) {
    return { kind: 'unanswered', reason: `HTTP ${status} from something in front of the Botpress API` }
  }
  const reason = `${error.code} ${error.type}: ${error.message}`
  if (error.type === 'ResourceNotFound') {
    return { kind: 'not-found', reason }
  }
  return { kind: status >= 400 && status < 500 && status !== 429 ? 'refused' : 'failed', reason }
}

/**
 * One request to the Botpress API, as @botpress/client sends it (same paths, bodies and headers; token and URL from
 * the environment), but a single attempt that ends within `timeoutMs`, connection and answer included. Resolves a 2xx
 * answer's JSON; throws BotpressCallFailed otherwise.
 */
const send = (installation: Installation, timeoutMs: number, method: string, path: string, body?: object) =>
  new Promise<unknown>((resolve, reject) => {
    const url = new URL(`${(process.env.BP_API_URL || DEFAULT_API_URL).replace(/\/+$/, '')}${path}`)
    const json = body === undefined ? undefined : JSON.stringify(body)
    const token = process.env.BP_TOKEN
    let settled = false
    const settle = (outcome: { answer: unknown } | { failure: BotpressFailure }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if ('failure' in outcome) {
        reject(new BotpressCallFailed(outcome.failure))
      } else {
        resolve(outcome.answer)
      }
    }
    // The connection goes with the call: a late answer on it must not be taken for another call's.
    const unanswered = (error: NodeJS.ErrnoException) => {
      settle({
        failure: { kind: 'unanswered', reason: error.code ? `${error.message} (${error.code})` : error.message },
      })
      request.destroy()
    }
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method,
        agent: agents[url.protocol as keyof typeof agents],
        headers: {
          accept: 'application/json',
          'x-bot-id': installation.botId,
          'x-integration-id': installation.integrationId,
          'x-integration-alias': installation.integrationAlias,
          ...(token && { authorization: `Bearer ${token}` }),
          ...(json !== undefined && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(json)),
          }),
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        let bytes = 0
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          chunks.push(chunk)
          if (bytes > MAX_ANSWER_BYTES) {
            unanswered(new Error(`Botpress's answer passed ${MAX_ANSWER_BYTES} bytes`))
          }
        })
        response.on('error', unanswered)
        response.on('end', () => {
          const answer = {
            status: response.statusCode ?? 0,
            body: parseJsonOrUndefined(Buffer.concat(chunks).toString('utf8')),
          }
          settle(answer.status >= 200 && answer.status < 300 ? { answer: answer.body } : { failure: failureOf(answer) })
        })
      }
    )
    const timer = setTimeout(
      () => unanswered(new Error(`Botpress did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s`)),
      timeoutMs
    )
    request.on('error', unanswered)
    request.end(json)
  })

const statePath = ({ type, id, name }: { type: string; id: string; name: string }): string =>
  `/v1/chat/states/${encodeURIComponent(type)}/${encodeURIComponent(id)}/${encodeURIComponent(name)}`

/** The answer as it came, once it is seen to hold a state with a payload: all that a read takes from it. */
const withState = (answer: unknown): unknown => {
  const state = (answer as { state?: { payload?: unknown } } | undefined)?.state
  if (typeof state?.payload !== 'object' || state.payload === null) {
    throw new BotpressCallFailed({ kind: 'failed', reason: 'Botpress answered without the state' })
  }
  return answer
}

/**
 * A Botpress API client whose every call is a single attempt that gives up after `timeoutMs`. The client the SDK
 * hands to handlers waits up to 60 s and repeats a call after a 502 or a lost connection by itself: for createEvent
 * that can make a second event of one that Botpress already created, and a card or a webhook could wait past what
 * it is allowed. It is also several times cheaper per call than @botpress/client, which every lead pays a few times.
 */
export const boundedClient = (installation: Installation, timeoutMs: number): BotpressClient => {
  const call = (method: string, path: string, body?: object) =>
    send(installation, Math.max(1, timeoutMs), method, path, body)
  // The answers are Botpress's own, as the SDK's client would return them; only getState's is checked, as it is read.
  return {
    getState: (async (input) => withState(await call('GET', statePath(input)))) as BotpressClient['getState'],
    setState: (({ payload, expiry, ...state }) =>
      call('POST', statePath(state), { payload, expiry })) as BotpressClient['setState'],
    createEvent: (({ type, payload, conversationId, userId, messageId }) =>
      call('POST', '/v1/chat/events', {
        type,
        payload,
        conversationId,
        userId,
        messageId,
      })) as BotpressClient['createEvent'],
  }
}
