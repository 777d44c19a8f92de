import type { IntegrationProps } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import { parseJsonOrUndefined } from '../json'
import { answer, dispatch } from './dispatcher'
import { isSignedWithAny, signatureFrom, SIGNATURE_HEADER } from './signature'

type WebhookHandler = IntegrationProps<ChatbaseIntegration>['handler']
type Secrets = { apiKey: string; webhookSecret?: string; previousWebhookSecret?: string }

/** A leads.submit is well under 2 KB: anything far bigger is refused before it is hashed. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024

/** The secret Chatbase signs with now, and during a key rotation the one it signed with until then. */
const webhookSecrets = ({ apiKey, webhookSecret, previousWebhookSecret }: Secrets): string[] =>
  [webhookSecret || apiKey, previousWebhookSecret].filter((secret): secret is string => Boolean(secret))

const BYTE_ORDER_MARK = '\uFEFF'

// The signature covers the body as sent; a byte order mark in front of the JSON is not part of it.
const withoutByteOrderMark = (rawBody: string): string =>
  rawBody.startsWith(BYTE_ORDER_MARK) ? rawBody.slice(1) : rawBody

/**
 * Chatbase → Botpress: method, size and signature, then the body goes to the dispatcher. Unsigned or wrongly signed
 * requests are refused (401) and emit nothing.
 */
export const handleWebhook: WebhookHandler = async ({ req, ctx, client, logger }) => {
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
  return dispatch(ctx, client, logger.forBot(), rawBody, parseJsonOrUndefined(withoutByteOrderMark(rawBody)))
}
