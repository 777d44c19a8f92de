import { z } from '@botpress/sdk'

/*
 * Chatbase's own shapes (snake_case), as the API sends and accepts them. Responses are parsed with these schemas so
 * that an answer missing a documented field becomes a clear error instead of `undefined` in Studio.
 */

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()])

export const stripeAccountWire = z.object({
  label: z.string(),
  stripe_id: z.string().optional(),
  stripe_email: z.string().optional(),
})

export const contactWire = z.object({
  id: z.string(),
  external_id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phonenumber: z.string().nullish(),
  custom_attributes: z.record(attributeValue).nullish(),
  stripe_accounts: z.array(stripeAccountWire).nullish(),
  created_at: z.number().nullish(),
  updated_at: z.number().nullish(),
})

export const createContactsResponse = z.object({ data: z.object({ created: z.array(contactWire) }) })
export const contactResponse = z.object({ data: contactWire })

const leadWire = z.object({
  id: z.union([z.string(), z.number()]),
  created_at: z.string().nullish(),
  chatbot_id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
})

// The docs' example answers `data`, their prose names `collectedCustomers`: accept either.
export const leadsResponse = z.union([
  z.object({ data: z.array(leadWire) }),
  z.object({ collectedCustomers: z.array(leadWire) }),
])

export const chatResponse = z.object({ text: z.string() })

export const errorBody = z.object({
  message: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
})

export const leadsSubmitWebhook = z.object({
  eventType: z.literal('leads.submit'),
  chatbotId: z.string().min(1),
  payload: z.object({
    conversationId: z.string().min(1),
    customerName: z.string().nullish(),
    customerEmail: z.string().nullish(),
    customerPhone: z.string().nullish(),
  }),
})

export type ContactWire = z.infer<typeof contactWire>
export type LeadWire = z.infer<typeof leadWire>
export type StripeAccountWire = z.infer<typeof stripeAccountWire>
export type ContactFieldsWire = Partial<Omit<ContactWire, 'id' | 'created_at' | 'updated_at'>>
export type ChatRequestWire = {
  chatbotId: string
  messages: { role: 'user' | 'assistant'; content: string }[]
  conversationId?: string
  model?: string
  temperature?: number
  stream: false
}
export type LeadsQueryWire = { chatbotId: string; startDate?: string; endDate?: string; page: number; size: number }
