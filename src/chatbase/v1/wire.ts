import { z } from '@botpress/sdk'
import { isRecord } from '../../json'

/*
 * Chatbase's own shapes (snake_case), as the API sends and accepts them. Responses are read tolerantly: extra fields,
 * nulls and the wrappers seen live are accepted, and only an answer missing what the output needs fails, with a
 * clear error instead of `undefined` in Studio.
 */

const describeError = (error: unknown): string =>
  isRecord(error) && typeof error.message === 'string'
    ? error.message
    : typeof error === 'string'
      ? error
      : JSON.stringify(error)

/**
 * A list, wherever Chatbase puts it: the bare array, or under one of `keys`, itself bare or wrapped as
 * `{ data: [...], error }` (what clients run against the live API read). A wrapper whose `data` is missing fails with
 * the error it reports.
 */
const listIn = (keys: readonly string[]) =>
  z.unknown().transform((body, context): unknown[] => {
    if (Array.isArray(body)) {
      return body
    }
    for (const key of keys) {
      const value = isRecord(body) ? body[key] : undefined
      if (Array.isArray(value)) {
        return value
      }
      if (isRecord(value) && Array.isArray(value.data)) {
        return value.data
      }
      if (isRecord(value) && value.error !== undefined && value.error !== null) {
        context.addIssue({
          code: 'custom',
          message: `no list; Chatbase reported an error: ${describeError(value.error)}`,
        })
        return z.NEVER
      }
    }
    context.addIssue({ code: 'custom', message: `no list under ${keys.map((key) => `"${key}"`).join(' or ')}` })
    return z.NEVER
  })

const isAttributeValue = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value)

// The docs give a value as text, number, boolean or null; any other (a list, an object) is kept as its JSON text.
const attributeValue = z.unknown().transform((value) => (isAttributeValue(value) ? value : JSON.stringify(value)))

// A contact's own fields are text; a number or a boolean is kept as text, anything else read as no value.
const contactText = z
  .unknown()
  .transform((value) =>
    typeof value === 'string' ? value : ['number', 'boolean'].includes(typeof value) ? String(value) : null
  )

const stripeAccountWire = z.object({
  label: z.string(),
  stripe_id: z.string().optional(),
  stripe_email: z.string().optional(),
})

const contactWire = z.object({
  id: z.string(),
  external_id: z.string(),
  name: contactText.optional(),
  email: contactText.optional(),
  phonenumber: contactText.optional(),
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
  // Every lead of a page belongs to the chatbot asked for: without it, that one is meant.
  chatbot_id: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
})

// The docs' example answers `data`, their prose names `collectedCustomers`, and live it is `{ data, error }` inside.
export const leadsResponse = listIn(['data', 'collectedCustomers']).pipe(z.array(leadWire))

/**
 * A page of contacts. Without `pages`, a `total` beyond this page's contacts says more may follow (an empty page ends
 * a read); without `total` either, this page is all that is known, and is taken as the last. Of `pages`, only
 * `total_pages` is read.
 */
export const listContactsResponse = z
  .object({
    data: z.array(contactWire),
    total: z.number().nullish(),
    pages: z.object({ total_pages: z.number().nullish() }).nullish(),
  })
  .transform(({ data, total, pages }) => ({
    data,
    total: total ?? data.length,
    pages: {
      // Without a page count, the total says whether more follow; without either, unknown: the reader then takes
      // a full page as "more may follow".
      total_pages:
        pages?.total_pages ??
        (total === null || total === undefined ? undefined : total > data.length ? Number.MAX_SAFE_INTEGER : 0),
    },
  }))

const customAttributeWire = z.object({
  name: z.string(),
  // A type the docs do not list is kept as Chatbase names it.
  type: z.string(),
  label: z.string().nullish(),
  description: z.string().nullish(),
  archived: z.boolean().nullish(),
})
export const customAttributesResponse = z.object({ data: z.array(customAttributeWire) })
export const customAttributeResponse = z.object({ data: customAttributeWire })

const conversationWire = z.object({
  id: z.union([z.string(), z.number()]),
  created_at: z.string().nullish(),
  // The docs type the role as a string: roles other than user and assistant are kept as they come.
  messages: z.array(z.object({ role: z.string(), content: z.string() })).nullish(),
  chatbot_id: z.string().nullish(),
  customer: z.string().nullish(),
  source: z.string().nullish(),
})
export const conversationsResponse = listIn(['data']).pipe(z.array(conversationWire))

/** The names a documented chatbot parameter was seen under: the docs' camelCase, snake_case live, create's name. */
export const CHATBOT_FIELD_NAMES = {
  id: ['id', 'chatbotId', 'chatbot_id'],
  name: ['name', 'chatbotName', 'chatbot_name'],
  createdAt: ['createdAt', 'created_at'],
  model: ['model'],
  visibility: ['visibility'],
  instructions: ['instructions'],
} as const

/** The first of `names` under which the chatbot holds a text, if any: how its documented parameters are read. */
export const chatbotFieldName = (chatbot: Record<string, unknown>, names: readonly string[]): string | undefined =>
  names.find((name) => typeof chatbot[name] === 'string')

/** A chatbot's parameters, all of them ("each entry contains all parameters"), of which only the id is needed. */
const chatbotWire = z.record(z.unknown()).refine(
  (chatbot) => {
    const name = chatbotFieldName(chatbot, CHATBOT_FIELD_NAMES.id)
    return name !== undefined && chatbot[name] !== ''
  },
  `the chatbot has no id (${CHATBOT_FIELD_NAMES.id.join(', ')})`
)
// The docs say "an array chatbots[]"; live it is `{ chatbots: { data, error } }`.
export const chatbotsResponse = listIn(['chatbots']).pipe(z.array(chatbotWire))
export const chatbotIdResponse = z.object({ chatbotId: z.string() })

export const chatResponse = z.object({ text: z.string() })

// `issues` comes in several shapes (errors.ts reads each); anything else in the body is ignored.
export const errorBody = z.object({ message: z.unknown(), issues: z.unknown() }).partial()

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
export type CustomAttributeCreateWire = {
  name: string
  type: string
  label: string
  description?: string
}
export type CustomAttributeUpdateWire = { label?: string; description?: string; archived?: boolean }
export type ChatbotSettingsWire = Record<string, unknown> & { chatbotId: string }
