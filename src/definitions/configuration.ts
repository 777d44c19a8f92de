import { z } from '@botpress/sdk'

export const DEFAULT_TIMEOUT_SECONDS = 50

export const configurationSchema = z.object({
  apiKey: z
    .string()
    .min(1)
    .secret()
    .title('API Key')
    .describe('Secret key from Chatbase: Workspace Settings > API Keys. Sent to Chatbase only, never logged.'),
  chatbotId: z
    .string()
    .min(1)
    .title('Chatbot ID')
    .describe('ID of the Chatbase chatbot (AI agent) to use: Settings > General > Chatbot ID.'),
  webhookSecret: z
    .string()
    .secret()
    .optional()
    .title('Webhook Secret')
    .describe(
      'Key that verifies the x-chatbase-signature of incoming webhooks. Leave empty to verify with the API key, which is what Chatbase signs with.'
    ),
  previousWebhookSecret: z
    .string()
    .secret()
    .optional()
    .title('Previous Webhook Secret')
    .describe(
      'Only while rotating the signing key: the secret (or API key) Chatbase signed webhooks with until now. Webhooks signed with it are still accepted until you clear this field.'
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(55)
    .optional()
    .title('Timeout (seconds)')
    .describe(
      `How long an action waits for Chatbase before failing with a timeout error. Default ${DEFAULT_TIMEOUT_SECONDS}, below the 60 s Botpress allows an action.`
    ),
})

export type Configuration = z.infer<typeof configurationSchema>
