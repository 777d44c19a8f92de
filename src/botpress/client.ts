import { Client, isApiError } from '@botpress/client'
import { IntegrationSpecificClient } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import { keptFor } from '../kept'

/** A state payload, serialised as JSON, may hold this many bytes (Botpress's `state_item_payload_bytes`). */
export const STATE_PAYLOAD_LIMIT_BYTES = 128 * 1024

export type BotpressClient = IntegrationSpecificClient<ChatbaseIntegration>
type Installation = { botId: string; integrationId: string; integrationAlias: string }

// Bounds are taken in steps of this many milliseconds, rounded down, so that few clients serve every call.
const BOUND_STEP_MS = 100
// Clients kept for reuse (building one costs more than a call on a warm connection); the oldest go first.
const MAX_KEPT_CLIENTS = 64
const clients = new Map<string, BotpressClient>()

/**
 * A Botpress API client whose every call is a single attempt that gives up after `timeoutMs`. The client the SDK
 * hands to handlers waits up to 60 s and repeats a call after a 502 or a lost connection by itself: for createEvent
 * that can make a second event of one that Botpress already created, and a card or a webhook could wait past what
 * it is allowed. Token and API URL come from the environment, as for the SDK's own client.
 */
export const boundedClient = (ctx: Installation, timeoutMs: number): BotpressClient => {
  const timeout = Math.max(1, Math.floor(timeoutMs / BOUND_STEP_MS) * BOUND_STEP_MS)
  const key = JSON.stringify([ctx.botId, ctx.integrationId, ctx.integrationAlias, timeout])
  return keptFor(
    clients,
    key,
    MAX_KEPT_CLIENTS,
    () =>
      new IntegrationSpecificClient<ChatbaseIntegration>(
        new Client({
          botId: ctx.botId,
          integrationId: ctx.integrationId,
          integrationAlias: ctx.integrationAlias,
          timeout,
        })
      )
  )
}

/**
 * What a failed Botpress call says about what Botpress did:
 * - `not-found`: it has no such thing (a state never written, or expired);
 * - `refused`: it answered that it will not do this (403, 400, 409, 413…): asking again gives the same answer;
 * - `failed`: it answered with an error of its own (5xx, 429): it did not act, and may succeed later;
 * - `unanswered`: no answer from Botpress itself (the bound passed, the connection was lost, a gateway page): it may
 *   have acted.
 */
export type BotpressFailure = { kind: 'not-found' | 'refused' | 'failed' | 'unanswered'; reason: string }

// The client's own wrapper for anything that is not an error body from the API: network failures, timeouts, and
// answers from something in front of the API.
const NOT_FROM_THE_API = 'Unknown'

const TIMEOUT = /^timeout of (\d+)ms exceeded$/

const describe = (message: string): string => {
  const timeout = TIMEOUT.exec(message)
  return timeout ? `Botpress did not answer within ${Number(timeout[1]) / 1000} s` : message
}

export const botpressFailure = (thrown: unknown): BotpressFailure => {
  if (!isApiError(thrown) || thrown.type === NOT_FROM_THE_API) {
    const message = thrown instanceof Error ? thrown.message : 'unknown error'
    return { kind: 'unanswered', reason: describe(message) }
  }
  const reason = `${thrown.code} ${thrown.type}: ${thrown.message}`
  if (thrown.type === 'ResourceNotFound') {
    return { kind: 'not-found', reason }
  }
  return { kind: thrown.code >= 400 && thrown.code < 500 && thrown.code !== 429 ? 'refused' : 'failed', reason }
}
