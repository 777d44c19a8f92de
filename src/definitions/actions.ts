import { z } from '@botpress/sdk'

const customAttributesSchema = z
  .record(z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .title('Custom Attributes')
  .describe(
    'Values for custom attributes defined on the chatbot, e.g. { "plan": "pro", "age": 31 }. Unknown attribute names are ignored by Chatbase.'
  )

const stripeAccountSchema = z.object({
  label: z.string().min(1).title('Label').describe('Name shown in the chat when the contact has several Stripe accounts.'),
  stripeId: z.string().min(1).optional().title('Stripe Customer ID').describe('Stripe customer id, e.g. cus_123. Give this, the email, or both.'),
  stripeEmail: z
    .string()
    .email()
    .optional()
    .title('Stripe Email')
    .describe('Email of the Stripe account. Give this, the customer id, or both.'),
})

const contactFields = {
  name: z.string().optional().title('Name').describe("The contact's name."),
  email: z.string().email().optional().title('Email').describe("The contact's email; unique among the chatbot's contacts."),
  phoneNumber: z.string().optional().title('Phone Number').describe("The contact's phone number, e.g. +14155550100."),
  customAttributes: customAttributesSchema.optional(),
  stripeAccounts: z
    .array(stripeAccountSchema)
    .optional()
    .title('Stripe Accounts')
    .describe('Stripe accounts of the contact; each needs a label and a customer id or an email.'),
}

export const contactSchema = z
  .object({
    id: z.string().title('Contact ID').describe('Chatbase id of the contact.'),
    externalId: z.string().title('External ID').describe('Your own id of the contact.'),
    name: z.string().optional().title('Name').describe("The contact's name, if known."),
    email: z.string().optional().title('Email').describe("The contact's email, if known."),
    phoneNumber: z.string().optional().title('Phone Number').describe("The contact's phone number, if known."),
    customAttributes: customAttributesSchema,
    stripeAccounts: z.array(stripeAccountSchema).title('Stripe Accounts').describe('Stripe accounts of the contact.'),
    createdAt: z.string().optional().title('Created At').describe('When Chatbase created the contact (ISO 8601).'),
    updatedAt: z.string().optional().title('Updated At').describe('When Chatbase last updated the contact (ISO 8601).'),
  })
  .title('Contact')
  .describe('A Chatbase contact.')

const contactOutput = z.object({ contact: contactSchema })

const chatRoleSchema = z.enum(['user', 'assistant'])

export const chatMessageSchema = z.object({
  role: chatRoleSchema.title('Role').describe('Who wrote the message: user or assistant.'),
  content: z.string().title('Content').describe('Text of the message.'),
})

const isoDate = (title: string, description: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. 2025-01-31')
    .optional()
    .title(title)
    .describe(description)
    .placeholder('2025-01-31')

export const leadSchema = z.object({
  id: z.string().title('Lead ID').describe('Chatbase id of the lead.'),
  name: z.string().optional().title('Name').describe('Name the visitor gave.'),
  email: z.string().optional().title('Email').describe('Email the visitor gave.'),
  phone: z.string().optional().title('Phone').describe('Phone number the visitor gave.'),
  chatbotId: z.string().title('Chatbot ID').describe('Chatbot that collected the lead.'),
  createdAt: z.string().optional().title('Created At').describe('When the lead was submitted, as Chatbase reports it.'),
})

export const MAX_LEADS_PAGE_SIZE = 100

export const actions = {
  createContact: {
    title: 'Create Contact',
    description: 'Add a contact to the Chatbase chatbot, identified by your own external id.',
    input: {
      schema: z.object({
        externalId: z
          .string()
          .min(1)
          .title('External ID')
          .describe('Your own unique id for the contact, e.g. the Botpress user id.')
          .placeholder('{{ event.userId }}'),
        ...contactFields,
      }),
    },
    output: { schema: contactOutput },
  },
  updateContact: {
    title: 'Update Contact',
    description: 'Change fields of an existing Chatbase contact. Only the fields you fill in are changed.',
    input: {
      schema: z.object({
        contactId: z.string().min(1).title('Contact ID').describe('Chatbase id of the contact, as returned by Create Contact.'),
        ...contactFields,
      }),
    },
    output: { schema: contactOutput },
  },
  messageChatbot: {
    title: 'Message Chatbot',
    description: 'Send a message to the Chatbase chatbot and get its answer.',
    input: {
      schema: z.object({
        message: z
          .string()
          .min(1)
          .title('Message')
          .describe("The user's latest message.")
          .placeholder('{{ event.preview }}'),
        conversationId: z
          .string()
          .min(1)
          .optional()
          .title('Conversation ID')
          .describe('Saves the chat under this id in the Chatbase dashboard; reuse it for every message of the same conversation.')
          .placeholder('{{ event.conversationId }}'),
        history: z
          .array(chatMessageSchema)
          .optional()
          .title('History')
          .describe('Earlier messages of the conversation, oldest first. Chatbase keeps no memory, so pass them to give context.'),
        model: z.string().min(1).optional().title('Model').describe("Overrides the chatbot's model, e.g. gpt-4o-mini."),
        temperature: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .title('Temperature')
          .describe('Randomness of the answer, from 0 (focused) to 1 (creative).'),
      }),
    },
    output: {
      schema: z.object({
        text: z.string().title('Answer').describe("The chatbot's answer."),
        conversationId: z
          .string()
          .optional()
          .title('Conversation ID')
          .describe('The conversation id the chat was saved under, when one was given.'),
      }),
    },
  },
  getLeads: {
    title: 'Get Leads',
    description: 'List the leads (name, email, phone) that visitors submitted to the chatbot.',
    input: {
      schema: z.object({
        startDate: isoDate('Start Date', 'Only leads submitted on or after this day (YYYY-MM-DD).'),
        endDate: isoDate('End Date', 'Only leads submitted on or before this day (YYYY-MM-DD).'),
        page: z.number().int().min(1).optional().title('Page').describe('Page to read, from 1. Default 1.'),
        size: z
          .number()
          .int()
          .min(1)
          .max(MAX_LEADS_PAGE_SIZE)
          .optional()
          .title('Page Size')
          .describe(`Leads per page, 1 to ${MAX_LEADS_PAGE_SIZE}. Default 10.`),
      }),
    },
    output: {
      schema: z.object({
        leads: z.array(leadSchema).title('Leads').describe('The leads on this page.'),
        page: z.number().title('Page').describe('The page that was read.'),
        size: z.number().title('Page Size').describe('The page size that was asked for.'),
        hasMore: z.boolean().title('Has More').describe('True when the page was full, so the next page may hold more leads.'),
      }),
    },
  },
} as const
