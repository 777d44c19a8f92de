import { createHash } from 'node:crypto'
import type { Response, z } from '@botpress/sdk'
import { botpressApi, botpressFailure, type BotpressClient, type PlatformClient } from '../botpress/client'
import type { ApiChoice } from '../definitions/constants'
import { DEDUP_WINDOW_MS, DeliveryLog, type DeliveryOutcome } from './dedup'
import { leadsSubmit } from './events/leads-submit'
import { recentDeliveriesOf } from './recent-deliveries'

/** Budgets of the webhook's own Botpress calls, retries included: the sender waits for the answer. */
export const WEBHOOK_STATE_CALL_MS = 2_000
export const CREATE_EVENT_CALL_MS = 5_000

/** What the webhook may need of the configuration to ask Chatbase about a delivery. */
export type ChatbaseAccess = { apiKey: string; apiVersion?: ApiChoice }
type Installation = { botId: string; integrationId: string; webhookId: string; configuration: ChatbaseAccess }
type Logger = { info(message: string): void; warn(message: string): void; error(message: string): void }
type BotpressEvent = Parameters<BotpressClient['createEvent']>[0]
export type EventContext = { client: BotpressClient; logger: Logger; chatbase: ChatbaseAccess }

/** One Chatbase event type: how its body is checked, and the Botpress event it becomes. */
export type ChatbaseEvent<S extends z.ZodTypeAny> = {
  schema: S
  /** What the delivery is about, for the logs, e.g. 'Chatbase conversation "c_1"'. */
  describe(parsed: z.output<S>): string
  /** Where else to find what it carried, if its event may not have reached the bot. */
  ifLost: string
  /** May read Botpress (bounded, through `client`) but must not fail for it: the event goes through regardless. */
  toBotpressEvent(parsed: z.output<S>, context: EventContext): Promise<BotpressEvent>
}

/** Every Chatbase event type the integration turns into a Botpress event, by Chatbase's `eventType`. */
const EVENTS = new Map<string, ChatbaseEvent<z.ZodTypeAny>>([['leads.submit', leadsSubmit]])

const deliveries = new DeliveryLog()

export const answer = (status: number, body: object, headers: Record<string, string> = {}): Response => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

// Only a short string is quoted: any other value may be nested too deep to print.
const describeEventType = (eventType: unknown): string =>
  typeof eventType === 'string'
    ? `unknown eventType ${JSON.stringify(eventType.slice(0, 100))}`
    : `eventType is ${eventType === null ? 'null' : typeof eventType}`

/** The delivery's digest: 96 bits of the body's SHA-256, as base64url (16 characters in a state). */
const digestOf = (rawBody: string): string =>
  createHash('sha256').update(rawBody, 'utf8').digest().subarray(0, 12).toString('base64url')

/**
 * Creates the delivery's event once per installation. Throws only when Botpress answered every try saying that it did
 * not create the event, so that a non-2xx answer always means "no event": the sender may deliver again without a
 * duplicate. When a try went unanswered, the event may exist: the delivery is recorded as done, so that a repeat does
 * not emit it again. Either way, what the event held is logged.
 */
const deliver = async <S extends z.ZodTypeAny>(
  ctx: Installation,
  platform: PlatformClient,
  logger: Logger,
  key: string,
  event: ChatbaseEvent<S>,
  parsed: z.output<S>
): Promise<DeliveryOutcome> => {
  const client = botpressApi(platform, WEBHOOK_STATE_CALL_MS)
  const recent = recentDeliveriesOf(ctx.botId, ctx.integrationId)
  // Both reads at once: neither depends on the other, and the sender waits.
  const [seen, botpressEvent] = await Promise.all([
    recent.has(key, client, logger),
    event.toBotpressEvent(parsed, { client, logger, chatbase: ctx.configuration }),
  ])
  if (seen) {
    return 'duplicate'
  }
  try {
    await botpressApi(platform, CREATE_EVENT_CALL_MS).createEvent(botpressEvent)
  } catch (thrown) {
    const failure = botpressFailure(thrown)
    const held = `It held ${JSON.stringify(botpressEvent.payload)}. ${event.ifLost}`
    if (failure.kind !== 'unanswered') {
      throw new Error(`Botpress did not create the ${botpressEvent.type} event (${failure.reason}). ${held}`)
    }
    logger.error(
      `Botpress did not confirm the ${botpressEvent.type} event of ${event.describe(parsed)} (${failure.reason}). It may have been created: the delivery counts as done so that a repeat is not a second event. ${held}`
    )
    await recent.add(key, client, logger)
    return 'unconfirmed'
  }
  await recent.add(key, client, logger)
  return 'delivered'
}

/**
 * A verified webhook's body to its event, each delivery at most once: a repeat of the same body (the sender or a
 * proxy retrying) is caught by this instance's log first, then by the installation's record, whatever the event type.
 * A body that cannot be used is answered 2xx and logged, so that the sender does not retry it forever.
 */
export const dispatch = async (
  ctx: Installation,
  platform: PlatformClient,
  logger: Logger,
  rawBody: string,
  body: unknown
): Promise<Response> => {
  if (body === undefined) {
    logger.warn('Ignored a signed webhook: the body is not JSON.')
    return answer(200, { ignored: 'unknown event' })
  }
  const eventType = typeof body === 'object' && body !== null ? (body as { eventType?: unknown }).eventType : undefined
  const event = typeof eventType === 'string' ? EVENTS.get(eventType) : undefined
  if (!event) {
    logger.warn(`Ignored a signed webhook: ${describeEventType(eventType)}.`)
    return answer(200, { ignored: 'unknown event' })
  }
  const parsed = event.schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    logger.error(`Ignored a signed ${eventType} webhook: ${issue?.path.join('.')}: ${issue?.message}`)
    return answer(200, { ignored: `unusable ${eventType} payload` })
  }
  const digest = digestOf(rawBody)
  // This instance's log is per process, shared by installations: two bots may receive the same body.
  const outcome = await deliveries
    .once(`${ctx.webhookId}:${digest}`, () => deliver(ctx, platform, logger, digest, event, parsed.data))
    .catch((thrown: unknown) => {
      logger.error(
        `Could not pass a ${eventType} delivery to the bot: ${thrown instanceof Error ? thrown.message : 'unknown error'}`
      )
      return 'failed' as const
    })
  switch (outcome) {
    case 'failed':
      // No event was created: a non-2xx answer asks the sender to deliver again, so nothing is lost.
      return answer(503, { error: 'Could not deliver the event, try again' })
    case 'duplicate':
      logger.info(`Ignored a repeated ${eventType} delivery (same body within ${DEDUP_WINDOW_MS / 60_000} minutes).`)
      return answer(200, { duplicate: eventType })
    case 'unconfirmed':
      return answer(200, { unconfirmed: eventType })
    case 'delivered':
      return answer(200, { received: eventType })
  }
}
