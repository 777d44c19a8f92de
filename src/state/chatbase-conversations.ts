import { createHash } from 'node:crypto'
import { CHATBASE_USER_ID_PATTERN, MAX_CHATBASE_USER_ID_LENGTH } from '../definitions/constants'
import { keepNewest } from '../kept'

/*
 * On API v2 Chatbase keeps the conversation, under an id of its own: what the integration needs is which Chatbase
 * conversation a Botpress conversation continues, with nothing kept by the flow and no Botpress state (Cloud may
 * refuse states on other integrations' conversations). Chatbase itself holds the link: a conversation started for a
 * Botpress conversation carries a Chatbase user id derived from it, and Chatbase lists a user's conversations by
 * last activity. This instance remembers the links it has seen, so a turn on a warm instance costs no look-up.
 */

// Readable ids are kept as they are, behind this prefix, so a lead's conversation can be traced back to them.
const DERIVED_PREFIX = 'botpress.'
// Ids Chatbase would not take as they are: their digest, which cannot be traced back.
const HASHED_PREFIX = 'botpress-hash.'

/** The Chatbase user id that stands for a Botpress conversation, when the flow gives no user id of its own. */
export const userIdForConversation = (botpressConversationId: string): string => {
  const derived = DERIVED_PREFIX + botpressConversationId
  return derived.length <= MAX_CHATBASE_USER_ID_LENGTH && CHATBASE_USER_ID_PATTERN.test(derived)
    ? derived
    : HASHED_PREFIX + createHash('sha256').update(botpressConversationId).digest('hex')
}

/** The Botpress conversation a Chatbase user id was derived from, when it was (see userIdForConversation). */
export const conversationOfUserId = (userId: string | null | undefined): string | undefined =>
  userId?.startsWith(DERIVED_PREFIX) && userId.length > DERIVED_PREFIX.length
    ? userId.slice(DERIVED_PREFIX.length)
    : undefined

const MAX_REMEMBERED_LINKS = 10_000
/** `<agent> <Botpress conversation>` → Chatbase conversation, newest last. */
const chatbaseOf = new Map<string, string>()
/** `<agent> <Chatbase conversation>` → Botpress conversation, for the leads submitted in it. */
const botpressOf = new Map<string, string>()

const key = (agentId: string, conversationId: string) => `${agentId} ${conversationId}`

export const rememberedChatbaseConversation = (agentId: string, botpressConversationId: string): string | undefined =>
  chatbaseOf.get(key(agentId, botpressConversationId))

export const rememberedBotpressConversation = (agentId: string, chatbaseConversationId: string): string | undefined =>
  botpressOf.get(key(agentId, chatbaseConversationId))

export const rememberLink = (agentId: string, botpressConversationId: string, chatbaseConversationId: string): void => {
  // The link in use is kept as the newest, so it is the last one forgotten.
  keepNewest(chatbaseOf, key(agentId, botpressConversationId), chatbaseConversationId, MAX_REMEMBERED_LINKS)
  keepNewest(botpressOf, key(agentId, chatbaseConversationId), botpressConversationId, MAX_REMEMBERED_LINKS)
}

export const forgetLink = (agentId: string, botpressConversationId: string): void => {
  chatbaseOf.delete(key(agentId, botpressConversationId))
}
