import { z } from '@botpress/sdk'

export const events = {
  leadSubmitted: {
    title: 'Lead Submitted',
    description: 'A visitor submitted the lead form of the Chatbase chatbot (Chatbase webhook leads.submit).',
    schema: z.object({
      chatbotId: z.string().title('Chatbot ID').describe('Chatbot whose lead form was submitted.'),
      conversationId: z
        .string()
        .title('Conversation ID')
        .describe(
          'Chatbase conversation in which the lead was submitted. For a conversation Message Chatbot remembered, the Botpress conversation id it was given: the event then arrives in that conversation.'
        ),
      customerName: z.string().optional().title('Name').describe('Name the visitor gave, if the form asked for it.'),
      customerEmail: z.string().optional().title('Email').describe('Email the visitor gave, if the form asked for it.'),
      customerPhone: z
        .string()
        .optional()
        .title('Phone')
        .describe('Phone number the visitor gave, if the form asked for it.'),
    }),
  },
} as const
