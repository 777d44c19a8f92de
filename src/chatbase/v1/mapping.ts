import type { z } from '@botpress/sdk'
import type { chatbotSchema } from '../../definitions/actions/chatbots'
import type { CLEARABLE_CONTACT_FIELDS, contactSchema, newContactSchema } from '../../definitions/actions/contacts'
import type { customAttributeSchema } from '../../definitions/actions/custom-attributes'
import type { conversationSchema, leadSchema } from '../../definitions/actions/leads-and-conversations'
import {
  CHATBOT_FIELD_NAMES,
  chatbotFieldName,
  type ChatbotWire,
  type ContactFieldsWire,
  type ContactWire,
  type ConversationWire,
  type CustomAttributeWire,
  type LeadWire,
} from './wire'

type Contact = z.infer<typeof contactSchema>
type Lead = z.infer<typeof leadSchema>

/** The contact fields a bot builder fills in, in Studio's camelCase; all optional, as an update gives only some. */
export type ContactFields = Partial<z.infer<typeof newContactSchema>>

/** Studio field name → Chatbase field name, also used to translate the field paths of Chatbase's 400 issues back. */
const FIELD_NAMES = {
  externalId: 'external_id',
  name: 'name',
  email: 'email',
  phoneNumber: 'phonenumber',
  customAttributes: 'custom_attributes',
  stripeAccounts: 'stripe_accounts',
  stripeId: 'stripe_id',
  stripeEmail: 'stripe_email',
} as const

const STUDIO_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(FIELD_NAMES).map(([studio, chatbase]) => [chatbase, studio])
)

/** `custom_attributes.age` → `customAttributes.age`; other segments (attribute names, indexes) stay as they are. */
export const toStudioFieldPath = (chatbasePath: string): string =>
  chatbasePath
    .split('.')
    .map((segment) => STUDIO_NAMES[segment] ?? segment)
    .join('.')

type ClearableField = (typeof CLEARABLE_CONTACT_FIELDS)[number]

/** The fields to send; `cleared` ones are sent as null, which empties them. */
export const toChatbaseContactFields = (
  fields: ContactFields,
  cleared: readonly ClearableField[] = []
): ContactFieldsWire => {
  const wire: ContactFieldsWire = {
    external_id: fields.externalId,
    name: fields.name,
    email: fields.email,
    phonenumber: fields.phoneNumber,
    custom_attributes: fields.customAttributes,
    stripe_accounts: fields.stripeAccounts?.map((account) => ({
      label: account.label,
      stripe_id: account.stripeId,
      stripe_email: account.stripeEmail,
    })),
  }
  // Leave unset fields out of the body: Chatbase would store an explicit null over the current value.
  const given = Object.fromEntries(Object.entries(wire).filter(([, value]) => value !== undefined))
  return { ...given, ...Object.fromEntries(cleared.map((field) => [FIELD_NAMES[field], null])) }
}

const unixSecondsToIso = (seconds: number | null | undefined): string | undefined =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : undefined

export const fromChatbaseContact = (contact: ContactWire): Contact => ({
  id: contact.id,
  externalId: contact.external_id,
  name: contact.name ?? undefined,
  email: contact.email ?? undefined,
  phoneNumber: contact.phonenumber ?? undefined,
  customAttributes: contact.custom_attributes ?? {},
  stripeAccounts: (contact.stripe_accounts ?? []).map((account) => ({
    label: account.label,
    ...(account.stripe_id !== undefined && { stripeId: account.stripe_id }),
    ...(account.stripe_email !== undefined && { stripeEmail: account.stripe_email }),
  })),
  createdAt: unixSecondsToIso(contact.created_at),
  updatedAt: unixSecondsToIso(contact.updated_at),
})

/** `chatbotId`: the chatbot the page was read from, for a lead that does not name its own. */
export const fromChatbaseLead = (lead: LeadWire, chatbotId: string): Lead => ({
  id: String(lead.id),
  name: lead.name ?? undefined,
  email: lead.email ?? undefined,
  phone: lead.phone ?? undefined,
  chatbotId: lead.chatbot_id ?? chatbotId,
  createdAt: lead.created_at ?? undefined,
})

/** `chatbotId`: the chatbot the page was read from, for a conversation that does not name its own. */
export const fromChatbaseConversation = (
  conversation: ConversationWire,
  chatbotId: string
): z.infer<typeof conversationSchema> => ({
  id: String(conversation.id),
  createdAt: conversation.created_at ?? undefined,
  messages: conversation.messages ?? [],
  chatbotId: conversation.chatbot_id ?? chatbotId,
  customer: conversation.customer ?? undefined,
  source: conversation.source ?? undefined,
})

export const fromChatbaseAttribute = (attribute: CustomAttributeWire): z.infer<typeof customAttributeSchema> => ({
  name: attribute.name,
  type: attribute.type,
  label: attribute.label ?? undefined,
  description: attribute.description ?? undefined,
  archived: attribute.archived ?? false,
})

type DocumentedChatbotField = keyof typeof CHATBOT_FIELD_NAMES

/**
 * The documented parameters under Studio's names, whichever name Chatbase used; every other parameter, and a
 * documented one that is not text, stays in `settings` under Chatbase's own name, so nothing it returned is lost.
 */
export const fromChatbaseChatbot = (chatbot: ChatbotWire): z.infer<typeof chatbotSchema> => {
  const settings: Record<string, unknown> = { ...chatbot }
  const documented: Partial<Record<DocumentedChatbotField, string>> = {}
  for (const [field, names] of Object.entries(CHATBOT_FIELD_NAMES) as [DocumentedChatbotField, readonly string[]][]) {
    const name = chatbotFieldName(chatbot, names)
    if (name !== undefined) {
      documented[field] = chatbot[name] as string
      delete settings[name]
    }
  }
  // The wire schema refuses a chatbot without an id.
  return { id: documented.id ?? '', ...documented, settings }
}
