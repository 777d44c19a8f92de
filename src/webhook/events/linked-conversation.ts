import { botpressFailure, type BotpressClient } from '../../botpress/client'
import { isKnownWithoutV2, rememberWithoutV2 } from '../../chatbase/plan-memory'
import { conversationOfUserId, rememberedBotpressConversation } from '../../state/chatbase-conversations'
import { hasTranscript } from '../../state/transcript'
import type { ChatbaseAccess } from '../dispatcher'

type Logger = { info(message: string): void }

/** How long the v2 look-up may take: the sender waits for the answer. */
const CHATBASE_LOOKUP_MS = 2_000

/**
 * API v2: the Chatbase conversation's user id says which Botpress conversation Message AI Agent started it for
 * (src/state/chatbase-conversations.ts). Only a conversation created through the API can be read this way; any
 * failure leaves the lead unlinked.
 */
const linkedOnV2 = async (
  chatbotId: string,
  conversationId: string,
  chatbase: ChatbaseAccess,
  logger: Logger
): Promise<string | undefined> => {
  const remembered = rememberedBotpressConversation(chatbotId, conversationId)
  if (remembered !== undefined || chatbase.apiVersion === 'v1' || isKnownWithoutV2(chatbase.apiKey)) {
    return remembered
  }
  // Loaded here, not at start-up: most cold starts serve a card or a lead of a v1 conversation.
  const [{ ChatbaseTransport }, { getConversationSummary }, { isPlanRestricted }, { Deadline }] = await Promise.all([
    import('../../chatbase/transport'),
    import('../../chatbase/v2/chat'),
    import('../../chatbase/errors'),
    import('../../deadline'),
  ])
  const transport = new ChatbaseTransport({ apiKey: chatbase.apiKey, deadline: new Deadline(CHATBASE_LOOKUP_MS) })
  try {
    const { userId } = await getConversationSummary(transport, chatbotId, conversationId)
    return conversationOfUserId(userId)
  } catch (thrown) {
    if (isPlanRestricted(thrown)) {
      rememberWithoutV2(chatbase.apiKey)
    } else {
      logger.info(
        `Chatbase did not tell which Botpress conversation the lead of conversation "${conversationId}" belongs to (${thrown instanceof Error ? thrown.message : 'unknown error'}).`
      )
    }
    return undefined
  }
}

/** API v1: Message Chatbot used the Botpress conversation's id as Chatbase's, and keeps its memory under it. */
const linkedOnV1 = async (conversationId: string, client: BotpressClient, logger: Logger) =>
  hasTranscript(client, conversationId).then(
    (linked) => (linked ? conversationId : undefined),
    (thrown: unknown) => {
      logger.info(
        `Botpress did not tell whether the lead of Chatbase conversation "${conversationId}" belongs to a Botpress conversation (${botpressFailure(thrown).reason}).`
      )
      return undefined
    }
  )

/**
 * The Botpress conversation a lead was submitted in, if Message AI Agent held it: on v1 through its memory state, on
 * v2 through Chatbase's conversation. Both are asked at once, since the lead's id alone does not tell which API the
 * conversation came from; neither may stop the lead.
 */
export const linkedConversation = async (
  chatbotId: string,
  conversationId: string,
  { client, chatbase, logger }: { client: BotpressClient; chatbase: ChatbaseAccess; logger: Logger }
): Promise<string | undefined> => {
  const [v1, v2] = await Promise.all([
    linkedOnV1(conversationId, client, logger),
    linkedOnV2(chatbotId, conversationId, chatbase, logger),
  ])
  return v1 ?? v2
}
