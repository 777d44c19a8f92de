import { z } from '@botpress/sdk'
import { chatbotIdOverride, pathSafeId } from '../fields'

const attributeType = z.enum(['text', 'number', 'boolean', 'date'])

const attributeName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*$/,
    'must start with a lower-case letter and hold only lower-case letters, digits and underscores'
  )
  .title('Name')
  .describe(
    'Name of the attribute, e.g. plan or signup_date: lower-case letters, digits and underscores, starting with a letter.'
  )

export const customAttributeSchema = z.object({
  name: z.string().title('Name').describe('Name of the attribute, as used in Custom Attributes of a contact.'),
  type: z
    .string()
    .title('Type')
    .describe('text, number, boolean or date; a type Chatbase adds later comes as Chatbase names it.'),
  label: z.string().optional().title('Label').describe('Label shown in the Chatbase dashboard.'),
  description: z.string().optional().title('Description').describe('What the attribute holds.'),
  archived: z.boolean().title('Archived').describe('Archived attributes keep their values but cannot be set any more.'),
})

const attributeOutput = z.object({
  attribute: customAttributeSchema.title('Attribute').describe('The custom attribute as Chatbase stored it.'),
})

export const customAttributeActions = {
  listCustomAttributes: {
    title: 'List Custom Attributes',
    description: 'List the custom attributes that contacts of the chatbot can hold.',
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({
        attributes: z
          .array(customAttributeSchema)
          .title('Attributes')
          .describe('Every custom attribute, archived ones included.'),
      }),
    },
  },
  createCustomAttribute: {
    title: 'Create Custom Attribute',
    description: 'Define a new custom attribute for contacts. Attributes cannot be deleted afterwards, only archived.',
    input: {
      schema: z.object({
        name: attributeName,
        type: attributeType.title('Type').describe('text, number, boolean or date; it cannot be changed later.'),
        label: z.string().min(1).title('Label').describe('Label shown in the Chatbase dashboard.'),
        description: z.string().optional().title('Description').describe('What the attribute holds.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: attributeOutput },
  },
  updateCustomAttribute: {
    title: 'Update Custom Attribute',
    description:
      "Change a custom attribute's label or description, or archive it (or bring it back): at least one of them. A blank Archived leaves the attribute as it is.",
    input: {
      schema: z.object({
        name: pathSafeId().title('Name').describe('Name of the attribute to change.'),
        label: z.string().min(1).optional().title('Label').describe('New label.'),
        description: z.string().optional().title('Description').describe('New description.'),
        archived: z
          .boolean()
          .optional()
          .title('Archived')
          .describe('True to archive the attribute, false to bring it back.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: attributeOutput },
  },
} as const
