import { RuntimeError } from '@botpress/sdk'
import type { ActionName } from '../definitions'
import { AUTOMATIC_API, type ApiChoice } from '../definitions/constants'
import { isPlanRestricted } from './errors'
import { isKnownWithoutV2, rememberWithoutV2 } from './plan-memory'

/**
 * Which Chatbase API serves each card: `v2` (only v2 has it), `v1` (only v1 has it: contacts, custom attributes,
 * leads, icons), or `v2, else v1` (v2 where the plan has it). The one place that says it; `onApi` makes each
 * handler offer exactly the ways its line names.
 */
export const API_OF_CARD = {
  messageChatbot: 'v2, else v1',
  submitToolResult: 'v2',
  rateAnswer: 'v2',
  pauseConversation: 'v2',
  resumeConversation: 'v2',
  getConversations: 'v2, else v1',
  listChatbots: 'v2, else v1',
  createChatbot: 'v2, else v1',
  updateChatbotData: 'v2, else v1',
  updateChatbotSettings: 'v2, else v1',
  deleteChatbot: 'v2, else v1',
  searchConversations: 'v2',
  getAgent: 'v2',
  cloneAgent: 'v2',
  updateAgentStyles: 'v2',
  setAutoRetrain: 'v2',
  createContact: 'v1',
  createContacts: 'v1',
  updateContact: 'v1',
  getContact: 'v1',
  listContacts: 'v1',
  deleteContact: 'v1',
  listCustomAttributes: 'v1',
  createCustomAttribute: 'v1',
  updateCustomAttribute: 'v1',
  getLeads: 'v1',
  uploadChatbotIcon: 'v1',
  uploadChatbotProfilePicture: 'v1',
  deleteChatbotIcon: 'v1',
  deleteChatbotProfilePicture: 'v1',
  listSources: 'v2',
  getSource: 'v2',
  getSourcesSummary: 'v2',
  addTextSource: 'v2',
  addQnaSource: 'v2',
  addLinkSource: 'v2',
  addFileSource: 'v2',
  updateSource: 'v2',
  deleteSource: 'v2',
  createTicket: 'v2',
  listTickets: 'v2',
  searchTickets: 'v2',
  getTicket: 'v2',
  updateTicket: 'v2',
  replyToTicket: 'v2',
  listTicketMessages: 'v2',
  listTicketStatuses: 'v2',
  listHelpdeskTeams: 'v2',
} as const satisfies Record<ActionName, Serving>
type Serving = 'v2' | 'v1' | 'v2, else v1'
/** The cards whose handler goes through onApi; a `v1` card calls v1 directly. */
type CardOnV2 = { [A in ActionName]: (typeof API_OF_CARD)[A] extends 'v1' ? never : A }[ActionName]
/** The cards only API v2 has. */
export type V2OnlyCard = { [A in ActionName]: (typeof API_OF_CARD)[A] extends 'v2' ? A : never }[ActionName]

type Ways<T, S extends Serving> = S extends 'v2'
  ? { v2: () => Promise<T> }
  : { v2: () => Promise<T>; v1: () => Promise<T> }

type Installation = { apiKey: string; apiVersion: ApiChoice }
type Logger = { info(message: string): void }

/** The error of a card only v2 has, when v2 is out of reach. */
export const needsV2Error = (title: string, why: 'plan' | 'configuration'): RuntimeError =>
  new RuntimeError(
    why === 'plan'
      ? `${title} needs Chatbase API v2, which comes with the Chatbase Standard plan or higher; this API key's workspace is on a plan without it. Upgrade the plan in Chatbase to use this card.`
      : `${title} needs Chatbase API v2, but "Chatbase API" is set to v1 in the integration's configuration. Set it to automatic or v2.`
  )

/**
 * Runs a card on the API its line in API_OF_CARD and the configuration allow. Automatic: v2 first; when Chatbase
 * refuses v2 for the plan (403, nothing done), the card runs on v1 if v1 has it, and the key is remembered for a
 * while in this instance so that the next cards go to v1 directly. A forced API is used as it is.
 */
export const onApi = async <A extends CardOnV2, T>(
  installation: Installation,
  card: { name: A; title: string },
  ways: Ways<T, (typeof API_OF_CARD)[A]>,
  logger?: Logger
): Promise<T> => {
  const { v1, v2 } = ways as { v1?: () => Promise<T>; v2: () => Promise<T> }
  const { apiKey, apiVersion } = installation
  if (apiVersion === 'v1') {
    if (v1) return v1()
    throw needsV2Error(card.title, 'configuration')
  }
  if (apiVersion === AUTOMATIC_API && isKnownWithoutV2(apiKey)) {
    if (v1) return v1()
    throw needsV2Error(card.title, 'plan')
  }
  try {
    return await v2()
  } catch (thrown) {
    if (apiVersion !== AUTOMATIC_API || !isPlanRestricted(thrown)) throw thrown
    rememberWithoutV2(apiKey)
    if (!v1) throw needsV2Error(card.title, 'plan')
    logger?.info(`${card.title} runs on Chatbase API v1: the workspace's plan does not include API v2.`)
    return v1()
  }
}
