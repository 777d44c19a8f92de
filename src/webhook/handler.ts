import { createHash } from 'node:crypto'
import type { IntegrationProps, Response } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import type { Configuration } from '../definitions/configuration'
import { DEDUP_WINDOW_MS, DeliveryLog } from './dedup'
import { deliverLead, leadsSubmitWebhook } from './leads'
import { isSignedWithAny, signatureFrom, SIGNATURE_HEADER } from './signature'

type WebhookHandler = IntegrationProps<ChatbaseIntegration>['handler']

/** A leads.submit is well under 2 KB: anything far bigger is refused before it is hashed. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024

const deliveries = new DeliveryLog()

/** The secret Chatbase signs with now, and during a key rotation the one it signed with until then. */
const webhookSecrets = (configuration: Configuration): string[] =>
  [configuration.webhookSecret || configuration.apiKey, configuration.previousWebhookSecret].filter(
    (secret): secret is string => Boolean(secret)
  )

const answer = (status: number, body: object, headers: Record<string, string> = {}): Response => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

const BYTE_ORDER_MARK = '\uFEFF'

const parseJson = (rawBody: string): unknown => {
  try {
    // The signature covers the body as sent; a byte order mark in front of the JSON is not part of it.
    return JSON.parse(rawBody.startsWith(BYTE_ORDER_MARK) ? rawBody.slice(1) : rawBody)
  } catch {
    return undefined
  }
}

// Only a short string is quoted: any other value may be nested too deep to print.
const describeUnknown = (body: unknown, eventType: unknown): string => {
  if (body === undefined) {
    return 'the body is not JSON'
  }
  return typeof eventType === 'string' ? `unknown eventType ${JSON.stringify(eventType.slice(0, 100))}` : `eventType is ${eventType === null ? 'null' : typeof eventType}`
}

/** The delivery's digest: 96 bits of the body's SHA-256, as base64url (16 characters in a state). */
const digestOf = (rawBody: string): string => createHash('sha256').update(rawBody, 'utf8').digest().subarray(0, 12).toString('base64url')

/**
 * Chatbase → Botpress. Unsigned or wrongly signed requests are refused (401) and emit nothing. Once the signature
 * holds, the answer is 2xx even for a body we cannot use, so that Chatbase does not retry it forever; it is logged.
 */
export const handleWebhook: WebhookHandler = async ({ req, ctx, logger }) => {
  // Botpress passes the request as JSON: nothing about its shape is taken for granted.
  if (String(req.method).toUpperCase() !== 'POST') {
    return answer(405, { error: 'Only POST is accepted' }, { allow: 'POST' })
  }
  const rawBody = typeof req.body === 'string' ? req.body : ''
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_WEBHOOK_BODY_BYTES) {
    logger.forBot().warn(`Refused a webhook request of more than ${MAX_WEBHOOK_BODY_BYTES} bytes.`)
    return answer(413, { error: 'Body too large' })
  }
  if (!isSignedWithAny(rawBody, signatureFrom(req.headers), webhookSecrets(ctx.configuration))) {
    logger.forBot().warn(`Refused a webhook request without a valid ${SIGNATURE_HEADER} header.`)
    return answer(401, { error: 'Invalid signature' })
  }

  const body = parseJson(rawBody)
  const eventType = (body as { eventType?: unknown } | undefined)?.eventType
  switch (eventType) {
    case 'leads.submit': {
      const parsed = leadsSubmitWebhook.safeParse(body)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        logger.forBot().error(`Ignored a signed leads.submit webhook: ${issue?.path.join('.')}: ${issue?.message}`)
        return answer(200, { ignored: 'unusable leads.submit payload' })
      }
      const digest = digestOf(rawBody)
      // This instance's log is per process, shared by installations: two bots may receive the same body.
      const outcome = await deliveries
        .once(`${ctx.webhookId}:${digest}`, () => deliverLead(ctx, logger.forBot(), digest, parsed.data))
        .catch((thrown: unknown) => {
          logger.forBot().error(`Could not pass a lead to the bot: ${thrown instanceof Error ? thrown.message : 'unknown error'}`)
          return 'failed' as const
        })
      switch (outcome) {
        case 'failed':
          // No event was created: a non-2xx answer asks the sender to deliver again, so the lead is not lost.
          return answer(503, { error: 'Could not deliver the event, try again' })
        case 'duplicate':
          logger.forBot().info(`Ignored a repeated leads.submit delivery (same body within ${DEDUP_WINDOW_MS / 60_000} minutes).`)
          return answer(200, { duplicate: 'leads.submit' })
        case 'unconfirmed':
          return answer(200, { unconfirmed: 'leads.submit' })
        case 'delivered':
          return answer(200, { received: 'leads.submit' })
      }
    }
    default:
      logger.forBot().warn(`Ignored a signed webhook: ${describeUnknown(body, eventType)}.`)
      return answer(200, { ignored: 'unknown event' })
  }
}
