// Chatbase's side of the leads.submit webhook: the signed delivery of a lead, as the webhooks page documents it.
import { createHmac } from 'node:crypto'

export function signWebhookBody(rawBody: string, secret: string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex')
}

export function leadWebhook(
  args: {
    chatbotId: string
    payload: { conversationId: string; customerEmail?: string; customerName?: string; customerPhone?: string }
  },
  secret: string
): { body: string; headers: Record<string, string> } {
  const { conversationId, customerEmail, customerName, customerPhone } = args.payload
  // Keys in the order of the docs' example delivery; absent values are left out of the JSON
  const body = JSON.stringify({
    eventType: 'leads.submit',
    chatbotId: args.chatbotId,
    payload: { conversationId, customerEmail, customerName, customerPhone },
  })
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-chatbase-signature': signWebhookBody(body, secret) },
  }
}

export type LeadDelivery = Parameters<typeof leadWebhook>[0]

/** Delivers a signed leads.submit to `url` as Chatbase does: one POST of the raw body with its signature. */
export async function deliverLeadWebhook(url: string, lead: LeadDelivery, secret: string): Promise<Response> {
  const { body, headers } = leadWebhook(lead, secret)
  return fetch(url, { method: 'POST', headers, body })
}
