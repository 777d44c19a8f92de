import { z } from '@botpress/sdk'
import {
  DEFAULT_FALLBACK_PHRASES,
  DEFAULT_MEMORY_CHARACTERS,
  DEFAULT_MEMORY_DAYS,
  DEFAULT_MEMORY_MESSAGES,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_MEMORY_CHARACTERS,
  MAX_MEMORY_DAYS,
  MAX_MEMORY_MESSAGES,
  MAX_TIMEOUT_SECONDS,
} from './constants'

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
    .max(MAX_TIMEOUT_SECONDS)
    .optional()
    .title('Timeout (seconds)')
    .describe(
      `How long an action may take, its calls to Chatbase and to Botpress included, before failing with a timeout error. Default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS}: Botpress gives a bot 60 s for everything it does.`
    ),
  fallbackPhrases: z
    .array(z.string().min(1))
    .optional()
    .title('Fallback Phrases')
    .describe(
      `Answers that mean the chatbot could not answer: Message Chatbot reports answered = false when its reply contains one of them (case and spacing ignored). Default: "${DEFAULT_FALLBACK_PHRASES[0]}".`
    ),
  memoryMessages: z
    .number()
    .int()
    .min(2)
    .max(MAX_MEMORY_MESSAGES)
    .optional()
    .title('Memory (messages)')
    .describe(
      `How many of the latest messages Message Chatbot remembers per conversation and sends to Chatbase; older ones are dropped first. Default ${DEFAULT_MEMORY_MESSAGES}.`
    ),
  memoryCharacters: z
    .number()
    .int()
    .min(500)
    .max(MAX_MEMORY_CHARACTERS)
    .optional()
    .title('Memory (characters)')
    .describe(
      `Most characters of remembered messages per conversation; older messages are dropped first. Default ${DEFAULT_MEMORY_CHARACTERS}, at most ${MAX_MEMORY_CHARACTERS}, so that the memory fits in a Botpress state in any script.`
    ),
  memoryDays: z
    .number()
    .int()
    .min(1)
    .max(MAX_MEMORY_DAYS)
    .optional()
    .title('Memory (days)')
    .describe(
      `How many days a conversation is remembered after its last message; then it starts afresh. Default ${DEFAULT_MEMORY_DAYS}.`
    ),
})

export type Configuration = z.infer<typeof configurationSchema>
