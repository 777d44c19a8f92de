import { BotDefinition, z, type DefaultBot } from '@botpress/sdk'
import { events, type ChatbaseIntegration } from '../../../src/definitions'
import chatbase from './chatbase'

/** How many leads the bot keeps in its `recentLeads` state, newest last. */
export const RECENT_LEADS_KEPT = 20

const states = {
  recentLeads: {
    type: 'bot',
    schema: z.object({
      leads: z.array(events.leadSubmitted.schema.extend({ receivedAt: z.string() })),
    }),
  },
} as const

export default new BotDefinition({ states }).addIntegration(chatbase, {
  enabled: true,
  // Read when `bp deploy` loads this file, so the secret key stays out of the code.
  configuration: {
    apiKey: process.env.CHATBASE_API_KEY ?? '',
    chatbotId: process.env.CHATBASE_CHATBOT_ID ?? '',
  },
})

/**
 * The bot's types, what `bp generate` would write in .botpress. The integration's come from ChatbaseIntegration,
 * inferred from the same schemas as its definition: the definition's own type keeps each action's input schema but
 * not its output (sdk 5.4.3's ActionDefinition), so `output.text` could not be typed from it.
 */
export type ExampleBot = DefaultBot<{
  integrations: { chatbase: ChatbaseIntegration }
  // None of its own: left out, they would default to "any name, any payload" and untype bot.on.event.
  events: {}
  actions: {}
  states: {
    [K in keyof typeof states]: { type: (typeof states)[K]['type']; payload: z.infer<(typeof states)[K]['schema']> }
  }
}>
