import { z } from '@botpress/sdk'
import { API_CHOICES, AUTOMATIC_API } from './constants'
import { pathSafeId } from './fields'

// A bot invocation has 60 s: the default leaves the bot time for its own work around the card.
const DEFAULT_TIMEOUT_SECONDS = 40
const MAX_TIMEOUT_SECONDS = 55
// The answer Chatbase's default instructions tell a chatbot to give when its sources do not cover a question.
const DEFAULT_FALLBACK_PHRASES = ['Hmm, I am not sure.']
const MIN_MEMORY_MESSAGES = 2
export const MAX_MEMORY_MESSAGES = 200
const DEFAULT_MEMORY_MESSAGES = 40
const MIN_MEMORY_CHARACTERS = 500
// At 3 bytes a character (CJK) and with the JSON around 200 messages, this many stay under a state's 128 KB.
export const MAX_MEMORY_CHARACTERS = 40_000
const DEFAULT_MEMORY_CHARACTERS = 16_000
const DEFAULT_MEMORY_DAYS = 30
const MIN_MEMORY_DAYS = 1
const MAX_MEMORY_DAYS = 365

export const configurationSchema = z.object({
  apiKey: z
    .string()
    .min(1)
    .secret()
    .title('API Key')
    .describe('Secret key from Chatbase: Workspace Settings > API Keys. Sent to Chatbase only, never logged.'),
  chatbotId: pathSafeId()
    .title('Agent ID')
    .describe('ID of the Chatbase AI agent to use: in Chatbase, the agent > Settings > General > Agent ID.'),
  apiVersion: z
    .enum(API_CHOICES)
    .default(AUTOMATIC_API)
    .title('Chatbase API')
    .describe(
      `Which Chatbase API the cards speak. "${AUTOMATIC_API}" (the default): API v2 wherever the workspace's plan has it (Standard and up), API v1 for what v2 lacks (contacts, custom attributes, leads, icons) and for plans without v2. "v2" or "v1" forces one; a card that only v2 has fails under "v1".`
    ),
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
    .default(DEFAULT_TIMEOUT_SECONDS)
    .title('Timeout (seconds)')
    .describe(
      `How long an action may take, its calls to Chatbase and to Botpress included, before failing with a timeout error. Default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS}: Botpress gives a bot 60 s for everything it does.`
    ),
  fallbackPhrases: z
    .array(z.string().min(1))
    .default(DEFAULT_FALLBACK_PHRASES)
    .title('Fallback Phrases')
    .describe(
      `Answers that mean the chatbot could not answer: Message Chatbot reports answered = false when its reply is empty or contains one of them (case and spacing ignored). Your list replaces the default, "${DEFAULT_FALLBACK_PHRASES[0]}": put here what your chatbot's instructions tell it to answer when it does not know.`
    ),
  memoryMessages: z
    .number()
    .int()
    .min(MIN_MEMORY_MESSAGES)
    .max(MAX_MEMORY_MESSAGES)
    .default(DEFAULT_MEMORY_MESSAGES)
    .title('Memory (messages)')
    .describe(
      `How many of the latest messages Message Chatbot remembers per conversation and sends to Chatbase, ${MIN_MEMORY_MESSAGES} to ${MAX_MEMORY_MESSAGES}; older ones are dropped first. Default ${DEFAULT_MEMORY_MESSAGES}.`
    ),
  memoryCharacters: z
    .number()
    .int()
    .min(MIN_MEMORY_CHARACTERS)
    .max(MAX_MEMORY_CHARACTERS)
    .default(DEFAULT_MEMORY_CHARACTERS)
    .title('Memory (characters)')
    .describe(
      `Most characters of remembered messages per conversation, ${MIN_MEMORY_CHARACTERS} to ${MAX_MEMORY_CHARACTERS} (so that the memory fits in a Botpress state in any script); older messages are dropped first. Default ${DEFAULT_MEMORY_CHARACTERS}.`
    ),
  memoryDays: z
    .number()
    .int()
    .min(MIN_MEMORY_DAYS)
    .max(MAX_MEMORY_DAYS)
    .default(DEFAULT_MEMORY_DAYS)
    .title('Memory (days)')
    .describe(
      `How many days a conversation is remembered after its last message, ${MIN_MEMORY_DAYS} to ${MAX_MEMORY_DAYS}; then it starts afresh. Default ${DEFAULT_MEMORY_DAYS}.`
    ),
})

/** The configuration as the code reads it: parsed, defaults filled in (configurationOf in src/actions/shared). */
export type Configuration = z.output<typeof configurationSchema>
