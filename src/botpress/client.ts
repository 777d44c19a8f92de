import { axios, axiosRetry, Client, isApiError, type ClientProps, type RetryConfig } from '@botpress/client'
import type { IntegrationSpecificClient } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'

/** A state payload, serialised as JSON, may hold this many bytes (Botpress's `state_item_payload_bytes`). */
export const STATE_PAYLOAD_LIMIT_BYTES = 128 * 1024

/** The three Botpress API calls the integration makes, typed by its definition as the SDK's own client types them. */
export type BotpressClient = Pick<
  IntegrationSpecificClient<ChatbaseIntegration>,
  'getState' | 'setState' | 'createEvent'
>

/** The client the SDK hands to a handler: it holds where and as whom this request calls the Botpress API. */
export type PlatformClient = Pick<IntegrationSpecificClient<ChatbaseIntegration>, '_inner'>

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

const notAnsweredWithin = (budgetMs: number): BotpressFailure => ({
  kind: 'unanswered',
  reason: `Botpress did not answer within ${Number((budgetMs / 1000).toFixed(1))} s`,
})

/**
 * The failure a call ended with, from what @botpress/client threw and the transport's last error (the HTTP status
 * and the body as it came: @botpress/client turns a gateway's page into an error of its own with the page as
 * message). Only statuses, types and messages are quoted: the transport's error holds the token.
 */
const failureOf = (thrown: unknown, transport: axios.AxiosError | undefined, budgetMs: number): BotpressFailure => {
  if (transport && !transport.response) {
    return transport.code === 'ECONNABORTED' || transport.code === 'ETIMEDOUT'
      ? notAnsweredWithin(budgetMs)
      : { kind: 'unanswered', reason: `${transport.message}${transport.code ? ` (${transport.code})` : ''}` }
  }
  if (transport && !isApiAnswer(transport)) {
    return {
      kind: 'unanswered',
      reason: `HTTP ${transport.response?.status} from something in front of the Botpress API`,
    }
  }
  if (!isApiError(thrown)) {
    return { kind: 'unanswered', reason: thrown instanceof Error ? thrown.message : 'unknown error' }
  }
  const status = transport?.response?.status ?? thrown.code
  const reason = `${status} ${thrown.type}: ${thrown.message}`
  if (thrown.type === 'ResourceNotFound') {
    return { kind: 'not-found', reason }
  }
  return { kind: status >= 400 && status < 500 && status !== 429 ? 'refused' : 'failed', reason }
}

/** Whether Botpress itself answered (its error body `{ code, type, message }`): then it says that it did not act. */
const isApiAnswer = (error: axios.AxiosError): boolean => {
  const data: unknown = error.response?.data
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string'
}

/**
 * The SDK's own rule for the client it hands to handlers (@botpress/sdk's retryConfig): a lost connection, a 429 or
 * a 502 of any call, and any 5xx of a read, are sent again after the `Retry-After` Botpress asked for, or as many
 * seconds as tries so far. The Client's `timeout` covers every try and wait (axios-retry counts them against it and
 * gives up where a wait would pass it), and a timeout is not retried: the budget is spent.
 */
const SDK_RETRIES = 3
const sdkRetryCondition = (error: axios.AxiosError): boolean =>
  axiosRetry.isNetworkOrIdempotentRequestError(error) || [429, 502].includes(error.response?.status ?? 0)
const retryDelay = (retryCount: number, error: axios.AxiosError): number =>
  error.response?.headers['retry-after'] === undefined ? retryCount * 1000 : axiosRetry.retryAfter(error)

/**
 * One call's retries. A createEvent sent again may create a second event: for a lead one too many is better than
 * none, so a lost answer or a 502 is sent again once, and a try Botpress did not answer is remembered so that the
 * call's failure says Botpress may have acted. A 429 says nothing was created: it is retried as the SDK retries it.
 */
const retriesOfOneCall = (creates: boolean) => {
  let retriedOnce = false
  let mayHaveActed = false
  // Every try's error passes through retryCondition, or onMaxRetryTimesExceeded after the last retry.
  let last: axios.AxiosError | undefined
  const retry: RetryConfig = {
    retries: SDK_RETRIES,
    retryDelay,
    onMaxRetryTimesExceeded: (error) => {
      last = error
    },
    retryCondition: (error) => {
      last = error
      if (!sdkRetryCondition(error)) {
        return false
      }
      if (!creates || error.response?.status === 429) {
        return true
      }
      if (retriedOnce) {
        return false
      }
      retriedOnce = true
      mayHaveActed ||= !isApiAnswer(error)
      return true
    },
  }
  return { retry, mayHaveActed: () => mayHaveActed, lastError: () => last }
}

/** getState's answer, once it is seen to hold a state with a payload: what every reader takes from it. */
const withState = <T extends { state?: { payload?: unknown } }>(answer: T): T => {
  if (typeof answer.state?.payload !== 'object' || answer.state.payload === null) {
    throw new BotpressCallFailed({ kind: 'failed', reason: 'Botpress answered without the state' })
  }
  return answer
}

/**
 * The Botpress API through @botpress/client, every call bounded by `budgetMs` (tries and waits included) and retried
 * by the SDK's rule within it. Each call gets a Client of its own, made from the SDK's client of this request: the
 * same URL and headers (the installation's ids, the token, the request's traceparent, tracestate and sentry-trace),
 * with its own timeout and retries. Failures throw BotpressCallFailed.
 */
export const botpressApi = (platform: PlatformClient, budgetMs: number): BotpressClient => {
  const { apiUrl, headers } = platform._inner.config
  const timeout = Math.max(1, Math.floor(budgetMs))
  const call = async <T>(creates: boolean, send: (client: Client) => Promise<T>): Promise<T> => {
    const { retry, mayHaveActed, lastError } = retriesOfOneCall(creates)
    // The headers already hold the ids and the token as the SDK set them: the Client takes nothing from elsewhere.
    const client = new Client({ apiUrl, headers, timeout, retry } as ClientProps)
    // axios's timeout restarts with every byte received: this bounds the wait as a whole (an answer that trickles in
    // past it is left to end on its own).
    let timer: NodeJS.Timeout | undefined
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BotpressCallFailed(notAnsweredWithin(budgetMs))), timeout)
    })
    try {
      return await Promise.race([send(client), bound])
    } catch (thrown) {
      const failure = thrown instanceof BotpressCallFailed ? thrown.failure : failureOf(thrown, lastError(), budgetMs)
      throw new BotpressCallFailed(
        mayHaveActed() && failure.kind !== 'unanswered'
          ? { kind: 'unanswered', reason: `an earlier try went unanswered, then ${failure.reason}` }
          : failure
      )
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    getState: ((input) =>
      call(false, async (client) => withState(await client.getState(input)))) as BotpressClient['getState'],
    setState: ((input) => call(false, (client) => client.setState(input))) as BotpressClient['setState'],
    createEvent: ((input) => call(true, (client) => client.createEvent(input))) as BotpressClient['createEvent'],
  }
}
