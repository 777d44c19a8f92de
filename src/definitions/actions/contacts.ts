import { z } from '@botpress/sdk'
import { chatbotIdOverride, itemsLimit, pageNumber, pagingOutput, pathSafeId } from '../fields'

const customAttributesSchema = z
  .record(z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .title('Custom Attributes')
  .describe(
    'Values for custom attributes defined on the chatbot, e.g. { "plan": "pro", "age": 31 }: each a text, a number, true or false, or null. Unknown attribute names are ignored by Chatbase.'
  )

const stripeAccountSchema = z.object({
  label: z
    .string()
    .min(1)
    .title('Label')
    .describe('Name shown in the chat when the contact has several Stripe accounts.'),
  stripeId: z
    .string()
    .min(1)
    .optional()
    .title('Stripe Customer ID')
    .describe('Stripe customer id, e.g. cus_123. Give this, the email, or both.'),
  stripeEmail: z
    .string()
    .email()
    .optional()
    .title('Stripe Email')
    .describe('Email of the Stripe account. Give this, the customer id, or both.'),
})

const contactFields = {
  name: z.string().optional().title('Name').describe("The contact's name."),
  email: z
    .string()
    .email()
    .optional()
    .title('Email')
    .describe("The contact's email; unique among the chatbot's contacts."),
  phoneNumber: z.string().optional().title('Phone Number').describe("The contact's phone number, e.g. +14155550100."),
  customAttributes: customAttributesSchema.optional(),
  stripeAccounts: z
    .array(stripeAccountSchema)
    .optional()
    .title('Stripe Accounts')
    .describe('Stripe accounts of the contact; each needs a label and a customer id or an email.'),
}

const externalId = z
  .string()
  .min(1)
  .title('External ID')
  .describe('Your own unique id for the contact, e.g. the Botpress user id.')

export const newContactSchema = z.object({ externalId, ...contactFields })

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

/** The fields Update Contact can empty: a blank Studio field means "not set", so clearing is asked for by name. */
export const CLEARABLE_CONTACT_FIELDS = ['name', 'email', 'phoneNumber'] as const

const contactId = pathSafeId()
  .title('Contact ID')
  .describe('Chatbase id of the contact, as returned by Create Contact.')
const contactOutput = z.object({ contact: contactSchema })

export const MAX_CONTACTS_PER_REQUEST = 1000
const MIN_CONTACTS_PER_PAGE = 10
const DEFAULT_CONTACTS_PER_PAGE = 100
const MAX_IMPORT_CONCURRENCY = 8
const DEFAULT_IMPORT_CONCURRENCY = 4

export const contactActions = {
  createContact: {
    title: 'Create Contact',
    description: 'Add a contact to the Chatbase chatbot, identified by your own external id.',
    input: {
      schema: z.object({
        externalId: externalId.placeholder('{{ event.userId }}'),
        ...contactFields,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: contactOutput },
  },
  createContacts: {
    title: 'Import Contacts',
    description: `Add many contacts at once, any number: sent in requests of up to ${MAX_CONTACTS_PER_REQUEST}, and every contact is accounted for as created or failed with the reason.`,
    input: {
      schema: z.object({
        contacts: z
          .array(newContactSchema)
          .min(1)
          .title('Contacts')
          .describe(
            'The contacts to add, each with at least an External ID. All are checked before anything is sent: one invalid contact fails the card, named contacts.<index>.<field>. A contact whose email appears earlier in the list fails without being sent.'
          ),
        concurrency: z
          .number()
          .int()
          .min(1)
          .max(MAX_IMPORT_CONCURRENCY)
          .default(DEFAULT_IMPORT_CONCURRENCY)
          .title('Concurrency')
          .describe(
            `How many requests to Chatbase may run at once, 1 to ${MAX_IMPORT_CONCURRENCY}. Default ${DEFAULT_IMPORT_CONCURRENCY}.`
          ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        created: z
          .array(
            z.object({
              index: z.number().title('Index').describe('Position of the contact in the input, from 0.'),
              externalId: z.string().title('External ID').describe('The external id of the contact.'),
              id: z.string().title('Contact ID').describe('Chatbase id of the contact.'),
              alreadyExisted: z
                .boolean()
                .title('Already Existed')
                .describe(
                  'True when Chatbase already had this contact (same external id and email), e.g. from an earlier import.'
                ),
            })
          )
          .title('Created')
          .describe('Contacts that are now in Chatbase.'),
        failed: z
          .array(
            z.object({
              index: z.number().title('Index').describe('Position of the contact in the input, from 0.'),
              externalId: z.string().title('External ID').describe('The external id of the contact.'),
              reason: z.string().title('Reason').describe('Why Chatbase refused the contact.'),
            })
          )
          .title('Failed')
          .describe('Contacts that were not created, with the reason.'),
        createdCount: z
          .number()
          .title('Created Count')
          .describe(
            'How many contacts are in Chatbase, those that already existed included: Created Count plus Failed Count is the number of input contacts.'
          ),
        failedCount: z.number().title('Failed Count').describe('How many contacts failed.'),
      }),
    },
  },
  updateContact: {
    title: 'Update Contact',
    description:
      'Change fields of an existing Chatbase contact. Only the fields you fill in are changed, or cleared with Clear Fields; at least one is needed.',
    input: {
      schema: z.object({
        contactId,
        ...contactFields,
        clearFields: z
          .array(z.enum(CLEARABLE_CONTACT_FIELDS))
          .default([])
          .title('Clear Fields')
          .describe(
            `Fields to empty on the contact: ${CLEARABLE_CONTACT_FIELDS.join(', ')}. A field left blank keeps its value, so list here the ones to clear; a field cannot be both set and cleared.`
          ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: contactOutput },
  },
  getContact: {
    title: 'Get Contact',
    description: 'Read one Chatbase contact by its id.',
    input: { schema: z.object({ contactId, chatbotId: chatbotIdOverride }) },
    output: { schema: contactOutput },
  },
  listContacts: {
    title: 'List Contacts',
    description: "List the chatbot's contacts: one page, or every page up to a limit.",
    input: {
      schema: z.object({
        page: pageNumber,
        perPage: z
          .number()
          .int()
          .min(MIN_CONTACTS_PER_PAGE)
          .max(MAX_CONTACTS_PER_REQUEST)
          .default(DEFAULT_CONTACTS_PER_PAGE)
          .title('Per Page')
          .describe(
            `Contacts per page, ${MIN_CONTACTS_PER_PAGE} to ${MAX_CONTACTS_PER_REQUEST}. Default ${DEFAULT_CONTACTS_PER_PAGE}.`
          ),
        limit: itemsLimit('contacts'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        contacts: z.array(contactSchema).title('Contacts').describe('The contacts read.'),
        total: z.number().title('Total').describe('How many contacts the chatbot has.'),
        perPage: z.number().title('Per Page').describe('The page size used.'),
        ...pagingOutput,
      }),
    },
  },
  deleteContact: {
    title: 'Delete Contact',
    description: 'Delete a Chatbase contact by its id.',
    input: { schema: z.object({ contactId, chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({
        deletedContactId: z.string().title('Deleted Contact ID').describe('The id of the contact that was deleted.'),
      }),
    },
  },
} as const
