import type { IntegrationProps, Response } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import { leadsSubmitWebhook } from '../chatbase/wire'
import { emitLeadSubmitted } from './leads'
import { isValidSignature, SIGNATURE_HEADER } from './signature'

type WebhookHandler = IntegrationProps<ChatbaseIntegration>['handler']

const answer = (status: number, body: object, headers: Record<string, string> = {}): Response => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

/** Header names may arrive in any case; a repeated header (an array) is not a signature. */
const headerValue = (headers: Record<string, unknown>, name: string): string | undefined => {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)
  return typeof entry?.[1] === 'string' ? entry[1] : undefined
}

const parseJson = (rawBody: string): unknown => {
  try {
    return JSON.parse(rawBody)
  } catch {
    return undefined
  }
}

const describeUnknown = (body: unknown, eventType: unknown): string =>
  body === undefined
    ? 'the body is not JSON'
    : `unknown eventType ${String(JSON.stringify(eventType) ?? 'missing').slice(0, 100)}`

/**
 * Chatbase → Botpress. Unsigned or wrongly signed requests are refused (401) and emit nothing. Once the signature
 * holds, the answer is 2xx even for a body we cannot use, so that Chatbase does not retry it forever; it is logged.
 */
export const handleWebhook: WebhookHandler = async ({ req, ctx, client, logger }) => {
  if (req.method.toUpperCase() !== 'POST') {
    return answer(405, { error: 'Only POST is accepted' }, { allow: 'POST' })
  }
  const rawBody = req.body ?? ''
  const secret = ctx.configuration.webhookSecret || ctx.configuration.apiKey
  if (!isValidSignature(rawBody, headerValue(req.headers, SIGNATURE_HEADER), secret)) {
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
      try {
        await emitLeadSubmitted({ client }, parsed.data)
      } catch (thrown) {
        // A non-2xx answer asks the sender to deliver again, so the lead is not lost.
        logger.forBot().error(`Could not pass a lead to the bot: ${thrown instanceof Error ? thrown.message : 'unknown error'}`)
        return answer(503, { error: 'Could not deliver the event, try again' })
      }
      return answer(200, { received: 'leads.submit' })
    }
    default:
      logger.forBot().warn(`Ignored a signed webhook: ${describeUnknown(body, eventType)}.`)
      return answer(200, { ignored: 'unknown event' })
  }
}
