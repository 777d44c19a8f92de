import { z } from '@botpress/sdk'

/*
 * Chatbase's own shapes (snake_case), as the API sends and accepts them. Responses are parsed with these schemas so
 * that an answer missing a documented field becomes a clear error instead of `undefined` in Studio.
 */

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()])

const stripeAccountWire = z.object({
  label: z.string(),
  stripe_id: z.string().optional(),
  stripe_email: z.string().optional(),
})

const contactWire = z.object({
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

export const listContactsResponse = z.object({
  data: z.array(contactWire),
  total: z.number(),
  pages: z.object({ page: z.number(), per_page: z.number(), total_pages: z.number() }),
})

const customAttributeWire = z.object({
  name: z.string(),
  type: z.enum(['text', 'number', 'boolean', 'date']),
  label: z.string().nullish(),
  description: z.string().nullish(),
  archived: z.boolean().nullish(),
})
export const customAttributesResponse = z.object({ data: z.array(customAttributeWire) })
export const customAttributeResponse = z.object({ data: customAttributeWire })

const conversationWire = z.object({
  id: z.union([z.string(), z.number()]),
  created_at: z.string().nullish(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).nullish(),
  chatbot_id: z.string(),
  customer: z.string().nullish(),
  source: z.string().nullish(),
})
export const conversationsResponse = z.object({ data: z.array(conversationWire) })

const chatbotWire = z.object({
  id: z.string(),
  name: z.string().nullish(),
  created_at: z.string().nullish(),
  model: z.string().nullish(),
  visibility: z.string().nullish(),
  instructions: z.string().nullish(),
})
// The docs only say "an array chatbots[]"; Chatbase nests it under data in practice, so accept both.
export const chatbotsResponse = z.object({
  chatbots: z.union([z.array(chatbotWire), z.object({ data: z.array(chatbotWire) })]),
})
export const chatbotIdResponse = z.object({ chatbotId: z.string() })
/** Endpoints whose success body carries nothing the integration needs (a message, or no body at all). */
export const anyResponse = z.unknown()

export const chatResponse = z.object({ text: z.string() })

export const errorBody = z.object({
  message: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
})

export type ContactWire = z.infer<typeof contactWire>
export type CustomAttributeWire = z.infer<typeof customAttributeWire>
export type ConversationWire = z.infer<typeof conversationWire>
export type ChatbotWire = z.infer<typeof chatbotWire>
export type LeadWire = z.infer<typeof leadWire>
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
export type ConversationsQueryWire = LeadsQueryWire & { filteredSources?: string }
export type CustomAttributeCreateWire = { name: string; type: CustomAttributeWire['type']; label: string; description?: string }
export type CustomAttributeUpdateWire = { label?: string; description?: string; archived?: boolean }
export type ChatbotSettingsWire = Record<string, unknown> & { chatbotId: string }
