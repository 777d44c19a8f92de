import type { IntegrationProps } from '@botpress/sdk'
import type { ActionName, ChatbaseIntegration } from '../definitions'
import type { ActionHandler } from './shared/implement'

type Area<A extends ActionName> = () => Promise<{ default: { [K in A]: ActionHandler<K> } }>
// Each action's own props and output are checked where its area implements it and in the map below.
type AnyHandler = (props: unknown) => Promise<unknown>

/**
 * An action whose area module is loaded at its first call, so that a cold start builds no action's schemas and an
 * action builds only those of its own area: esbuild bundles each `import()` as a module evaluated once, on first use.
 */
const onFirstCall = <A extends ActionName>(area: Area<A>, name: A): ActionHandler<A> => {
  const run: AnyHandler = async (props) => ((await area()).default[name] as AnyHandler)(props)
  return run as ActionHandler<A>
}

const chat = () => import('./chat')
const contacts = () => import('./contacts')
const customAttributes = () => import('./custom-attributes')
const leadsAndConversations = () => import('./leads-and-conversations')
const chatbots = () => import('./chatbots')
const sources = () => import('./sources')
const helpdesk = () => import('./helpdesk')

/** Every action, by name, with the area that handles it. */
export const actions = {
  messageChatbot: onFirstCall(chat, 'messageChatbot'),
  submitToolResult: onFirstCall(chat, 'submitToolResult'),
  rateAnswer: onFirstCall(chat, 'rateAnswer'),
  pauseConversation: onFirstCall(chat, 'pauseConversation'),
  resumeConversation: onFirstCall(chat, 'resumeConversation'),
  createContact: onFirstCall(contacts, 'createContact'),
  createContacts: onFirstCall(contacts, 'createContacts'),
  updateContact: onFirstCall(contacts, 'updateContact'),
  getContact: onFirstCall(contacts, 'getContact'),
  listContacts: onFirstCall(contacts, 'listContacts'),
  deleteContact: onFirstCall(contacts, 'deleteContact'),
  listCustomAttributes: onFirstCall(customAttributes, 'listCustomAttributes'),
  createCustomAttribute: onFirstCall(customAttributes, 'createCustomAttribute'),
  updateCustomAttribute: onFirstCall(customAttributes, 'updateCustomAttribute'),
  getLeads: onFirstCall(leadsAndConversations, 'getLeads'),
  getConversations: onFirstCall(leadsAndConversations, 'getConversations'),
  searchConversations: onFirstCall(leadsAndConversations, 'searchConversations'),
  listChatbots: onFirstCall(chatbots, 'listChatbots'),
  getAgent: onFirstCall(chatbots, 'getAgent'),
  createChatbot: onFirstCall(chatbots, 'createChatbot'),
  cloneAgent: onFirstCall(chatbots, 'cloneAgent'),
  updateChatbotData: onFirstCall(chatbots, 'updateChatbotData'),
  updateChatbotSettings: onFirstCall(chatbots, 'updateChatbotSettings'),
  updateAgentStyles: onFirstCall(chatbots, 'updateAgentStyles'),
  setAutoRetrain: onFirstCall(chatbots, 'setAutoRetrain'),
  deleteChatbot: onFirstCall(chatbots, 'deleteChatbot'),
  uploadChatbotIcon: onFirstCall(chatbots, 'uploadChatbotIcon'),
  uploadChatbotProfilePicture: onFirstCall(chatbots, 'uploadChatbotProfilePicture'),
  deleteChatbotIcon: onFirstCall(chatbots, 'deleteChatbotIcon'),
  deleteChatbotProfilePicture: onFirstCall(chatbots, 'deleteChatbotProfilePicture'),
  listSources: onFirstCall(sources, 'listSources'),
  getSource: onFirstCall(sources, 'getSource'),
  getSourcesSummary: onFirstCall(sources, 'getSourcesSummary'),
  addTextSource: onFirstCall(sources, 'addTextSource'),
  addQnaSource: onFirstCall(sources, 'addQnaSource'),
  addLinkSource: onFirstCall(sources, 'addLinkSource'),
  addFileSource: onFirstCall(sources, 'addFileSource'),
  updateSource: onFirstCall(sources, 'updateSource'),
  deleteSource: onFirstCall(sources, 'deleteSource'),
  createTicket: onFirstCall(helpdesk, 'createTicket'),
  listTickets: onFirstCall(helpdesk, 'listTickets'),
  searchTickets: onFirstCall(helpdesk, 'searchTickets'),
  getTicket: onFirstCall(helpdesk, 'getTicket'),
  updateTicket: onFirstCall(helpdesk, 'updateTicket'),
  replyToTicket: onFirstCall(helpdesk, 'replyToTicket'),
  listTicketMessages: onFirstCall(helpdesk, 'listTicketMessages'),
  listTicketStatuses: onFirstCall(helpdesk, 'listTicketStatuses'),
  listHelpdeskTeams: onFirstCall(helpdesk, 'listHelpdeskTeams'),
} satisfies IntegrationProps<ChatbaseIntegration>['actions']
