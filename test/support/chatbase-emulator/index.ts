// A local stand-in for the Chatbase REST API, v1 (https://www.chatbase.co/api/v1) faithful to the Chatbase docs and v2
// (https://www.chatbase.co/api/v2, and its files host) faithful to ../shared/reference/chatbase-api-v2.md and
// checked against Chatbase's OpenAPI spec, for the end-to-end tests and the playground. Plain node:http (server.ts);
// each area of the API has its module, with its routes and what it keeps of each chatbot in the shared store
// (store.ts); v2's are in v2/. This module assembles them.
import { chatbaseContract } from '../openapi-contract'
import { ChatArea, type ChatReply } from './chat'
import { ChatbotsArea, type ChatbotImage, type StoredChatbot, type StoredImage } from './chatbots'
import { ContactsArea, type StoredContact } from './contacts'
import { CustomAttributesArea, type NewCustomAttribute } from './custom-attributes'
import { LeadsArea, type NewConversation, type NewLead, type StoredLead } from './leads'
import { ApiServer, type Fault, type RecordedRequest } from './server'
import { Store, type ConversationMessage, type Shapes, type StoredConversation } from './store'
import { AgentsArea, type Agent } from './v2/agents'
import { AgentChatArea, type AgentReplyHook, type StreamShape } from './v2/chat'
import {
  AgentConversations,
  type AgentConversation,
  type ConversationStatus,
  type NewAgentConversation,
} from './v2/conversation-store'
import { ConversationsArea } from './v2/conversations'
import { V2Api, type ErrorSpelling, type KeyState, type PlanAccess, type ResetUnit } from './v2/core'
import {
  HelpdeskArea,
  type HelpdeskShape,
  type NewTicket,
  type StoredTicket,
  type Team,
  type TicketStatus,
} from './v2/helpdesk'
import { SearchArea, type SearchPaging } from './v2/search'
import {
  SourcesArea,
  type Deletion,
  type FileSourceShape,
  type NewSource,
  type Source,
  type StoredSource,
  type Training,
} from './v2/sources'

// What other files import; the types the methods below name stay with their areas
export { deliverLeadWebhook, leadWebhook, signWebhookBody, type LeadDelivery } from './webhook'
export type { StoredChatbot } from './chatbots'
export type { StoredContact } from './contacts'
export type { ApiName, Fault, RecordedRequest } from './server'
export type { Shapes } from './store'
export type { Agent } from './v2/agents'
export type { AgentReply, AgentReplyHook, AgentReplyRequest, StreamShape } from './v2/chat'
export type { AgentConversation, NewAgentConversation } from './v2/conversation-store'
export type { NewSource, Source, StoredSource } from './v2/sources'

// What points a served integration at the emulator: v1, v2 and the files host
export function chatbaseEnvironment(emulator: ChatbaseEmulator): Record<string, string> {
  return {
    CHATBASE_API_URL: emulator.url,
    CHATBASE_API_V2_URL: emulator.v2Url,
    CHATBASE_FILES_API_URL: emulator.filesUrl,
  }
}

export interface ChatbaseEmulator {
  readonly url: string // base URL including /api/v1, e.g. http://127.0.0.1:43123/api/v1
  readonly v2Url: string // v2's base URL, e.g. http://127.0.0.1:43123/api/v2 (Chatbase: https://www.chatbase.co/api/v2)
  // the files host's base URL, e.g. http://127.0.0.1:43123/files/api/v2 (Chatbase: https://files.chatbase.co/api/v2)
  readonly filesUrl: string
  readonly apiKey: string // the same key for v1 and v2
  // every request received, in order (also ones answered by a fault), with the API it reached; inject a fault on v2
  // or the files host with Fault.api, e.g. { api: 'v2', status: 429, headers: { 'retry-after': '2' } }
  readonly requests: RecordedRequest[]
  // requests being handled right now (a delayed fault counts while it waits), and the most at once since reset()
  readonly stats: { inFlight: number; maxInFlight: number }
  addChatbot(chatbotId: string): void // survives reset(), unlike chatbots created through POST /create-chatbot
  chatbot(chatbotId: string): StoredChatbot | undefined // a copy of the stored parameters; undefined when unknown
  chatbotImage(chatbotId: string, image: ChatbotImage): StoredImage | undefined // what the last upload stored
  // label defaults to the name; the same store as the custom-attributes endpoints
  addCustomAttribute(chatbotId: string, attribute: NewCustomAttribute): void
  // a dashboard conversation as get-conversations returns it (id: a random UUID, source: 'Unspecified', createdAt: now)
  addConversation(chatbotId: string, conversation: NewConversation): StoredConversation
  addLead(chatbotId: string, lead: NewLead): StoredLead
  contacts(chatbotId: string): StoredContact[] // snake_case objects exactly as the API returns them
  savedConversation(conversationId: string): ConversationMessage[] | undefined // the last /chat call's messages plus the reply
  setChatReply(reply: ChatReply): void
  // 'documented' (the default): the docs' examples. 'live': what clients run against the live API saw, where the docs
  // are vague: get-leads `{ collectedCustomers: { data, error } }`, get-chatbots `{ chatbots: { data, error } }` in
  // snake_case with created_at, conversations with extra fields and no chatbot_id, update-chatbot-settings' 202 as text
  setShapes(shapes: Shapes): void
  // Chatbase's clock against this machine's, in seconds (negative: behind), for the contacts' created_at / updated_at
  setClockSkew(seconds: number): void
  injectFault(fault: Fault): void

  // v2. The configured chatbots are its agents, under the same ids. Every v2 and files-host request and answer is
  // checked against Chatbase's OpenAPI spec (test/support/openapi-contract.ts): a request that breaks it is answered
  // 400 VALIDATION_INVALID_BODY (details naming the fields), and what broke it is listed here
  contractViolations(): string[]
  agent(agentId: string): Agent | undefined // a copy, as GET /agents/{agentId} answers it
  // a conversation of any source (default API, the only one list / get / messages / user / PATCH endpoints see),
  // status, userId, sentiment, topic, runs…; ids and timestamps default to new ones
  addAgentConversation(agentId: string, conversation: NewAgentConversation): AgentConversation
  agentConversation(conversationId: string): AgentConversation | undefined // a copy, with its messages
  setConversationStatus(conversationId: string, status: ConversationStatus): void
  // what the agent answers POST chat: a text, or tool calls (finishReason tool-calls) the client must answer with
  // POST tool-result before a POST chat without message continues; default: a reply quoting the message
  setAgentReply(reply: AgentReplyHook): void
  // The switches, each undone by reset():
  // 'full' (default); 'no-auto-retrain': PUT auto-retrain is 403 PLAN_FEATURE_NOT_AVAILABLE; 'no-api': every v2 and
  // files-host call is 403 SUBSCRIPTION_API_RESTRICTED_PLAN (or its other spelling), while v1 keeps working
  setPlanAccess(access: PlanAccess): void
  // 'documented' (default): SUBSCRIPTION_API_RESTRICTED_PLAN, AUTH_EXPIRED_API_KEY, AUTH_INSUFFICIENT_PERMISSIONS;
  // 'alternative': SUBSCRIPTION_PLAN_REQUIRED, API_KEY_EXPIRED, PERMISSION_DENIED (§4.2)
  setErrorSpelling(spelling: ErrorSpelling): void
  // 'expired': every v2 call 401 AUTH_EXPIRED_API_KEY; 'insufficient-permissions': 403 AUTH_INSUFFICIENT_PERMISSIONS
  setKeyState(state: KeyState): void
  setRateLimitResetUnit(unit: ResetUnit): void // X-RateLimit-Reset in epoch 'ms' (default, the docs) or 's' (the spec)
  setMaintenance(on: boolean): void // every v2 and files-host call 503 SERVICE_UNDER_MAINTENANCE
  setChatCreditsExhausted(exhausted: boolean): void // POST chat 402 CHAT_CREDITS_EXHAUSTED
  // the status of CHAT_CONVERSATION_NOT_ONGOING (chat or PATCH on an ended / taken-over conversation): 409 (default)
  setConversationNotOngoingStatus(status: 400 | 409): void
  // alwaysSse: SSE even for stream: false; startEvent 'start' (default) or 'message-start'; the metadata in
  // 'finish.messageMetadata' (default), a separate 'message-metadata' event, or 'finish.metadata'
  setStreamShape(shape: Partial<StreamShape>): void
  setSearchPaging(paging: SearchPaging): void // 'sparse': short and empty search pages while hasMore is true
  // Sources: an agent's sources with their content (file bytes too), in creation order; one seeded as the dashboard
  // would make it (trained unless status says otherwise)
  sources(agentId: string): StoredSource[]
  addSource(agentId: string, source: NewSource): Source
  // a created or changed source is untrained (updated) until read this many times with GET, then trained or failed;
  // default { outcome: 'trained', afterPolls: 1 }
  setSourceTraining(training: Training): void
  setFileSourceShape(shape: FileSourceShape): void // the file-source create answer 'bare' (default, the spec) or in { data }
  setSourceDeletion(deletion: Deletion): void // DELETE leaves 'toBeDeleted' (default: listed, no more edits) or 'deleted'
  setSourceStorageLimit(bytes: number | null): void // past it, 422 SOURCE_SIZE_LIMIT_EXCEEDED; null (default): none
  // The helpdesk (v2/helpdesk.ts): each agent has a default status per category (and a second on_hold one) and two
  // teams, Support (grace@example.com, alan@example.com) and Billing (alan@example.com); a copy of it, a ticket as a
  // customer or the widget would make it (conversationId links a conversation: replies need it taken over), and
  // pagination.total 'when-asked' (default), 'always' or 'never', and enum values the spec does not list
  helpdesk(agentId: string): { statuses: TicketStatus[]; teams: Team[]; tickets: StoredTicket[] }
  addTicket(agentId: string, ticket: NewTicket): StoredTicket
  setHelpdeskShape(shape: Partial<HelpdeskShape>): void

  // clears requests, faults, store contents (chatbot settings, agents' settings and conversations too), the chat
  // replies, the shapes, the v2 switches, the contract violations, the clock skew and stats.maxInFlight; keeps the api
  // key and the configured / addChatbot chatbots (restored if deleted), removes chatbots created through the API
  reset(): void
  close(): Promise<void>
}

const DEFAULT_API_KEY = 'emulator-secret-key'
const DEFAULT_CHATBOT_IDS = ['emulator-chatbot']

class Emulator implements ChatbaseEmulator {
  private readonly store = new Store()
  private readonly chatArea = new ChatArea(this.store)
  private readonly customAttributesArea = new CustomAttributesArea(this.store)
  private readonly contactsArea = new ContactsArea(this.store, this.customAttributesArea.definitions)
  private readonly leadsArea = new LeadsArea(this.store)
  private readonly chatbotsArea = new ChatbotsArea(this.store)
  private readonly agentConversations = new AgentConversations(this.store)
  private readonly v2: V2Api
  private readonly agentsArea: AgentsArea
  private readonly agentChatArea: AgentChatArea
  private readonly searchArea: SearchArea
  private readonly sourcesArea: SourcesArea
  private readonly helpdeskArea: HelpdeskArea
  private readonly server: ApiServer

  constructor(apiKey: string, chatbotIds: string[]) {
    const areas = [this.chatArea, this.contactsArea, this.customAttributesArea, this.leadsArea, this.chatbotsArea]
    this.v2 = new V2Api(apiKey, chatbaseContract())
    this.agentsArea = new AgentsArea(this.store, this.v2)
    this.agentChatArea = new AgentChatArea(this.agentsArea, this.agentConversations)
    this.searchArea = new SearchArea(this.agentsArea, this.agentConversations)
    const conversationsArea = new ConversationsArea(this.agentsArea, this.agentConversations)
    this.sourcesArea = new SourcesArea(this.store, this.agentsArea)
    const v2Areas = [this.agentsArea, this.agentChatArea, conversationsArea, this.searchArea, this.sourcesArea]
    this.v2.register(v2Areas.flatMap((area) => area.routes))
    this.helpdeskArea = new HelpdeskArea(this.store, this.agentsArea, this.agentConversations)
    this.v2.register(this.helpdeskArea.routes)
    this.server = new ApiServer(
      apiKey,
      areas.flatMap((area) => area.routes),
      this.v2
    )
    chatbotIds.forEach((chatbotId) => this.addChatbot(chatbotId))
  }

  get url(): string {
    return this.server.url
  }

  get v2Url(): string {
    return `${this.server.origin}/api/v2`
  }

  get filesUrl(): string {
    return `${this.server.origin}/files/api/v2`
  }

  get apiKey(): string {
    return this.server.apiKey
  }

  get requests(): RecordedRequest[] {
    return this.server.requests
  }

  get stats(): { inFlight: number; maxInFlight: number } {
    return this.server.stats
  }

  listen(): Promise<void> {
    return this.server.listen()
  }

  close(): Promise<void> {
    return this.server.close()
  }

  injectFault(fault: Fault): void {
    this.server.injectFault(fault)
  }

  addChatbot(chatbotId: string): void {
    this.store.addPermanentChatbot(chatbotId)
  }

  chatbot(chatbotId: string): StoredChatbot | undefined {
    return this.chatbotsArea.chatbot(chatbotId)
  }

  chatbotImage(chatbotId: string, image: ChatbotImage): StoredImage | undefined {
    return this.chatbotsArea.image(chatbotId, image)
  }

  addCustomAttribute(chatbotId: string, attribute: NewCustomAttribute): void {
    this.customAttributesArea.add(chatbotId, attribute)
  }

  addConversation(chatbotId: string, conversation: NewConversation): StoredConversation {
    return this.leadsArea.addConversation(chatbotId, conversation)
  }

  addLead(chatbotId: string, lead: NewLead): StoredLead {
    return this.leadsArea.addLead(chatbotId, lead)
  }

  contacts(chatbotId: string): StoredContact[] {
    return this.contactsArea.contacts(chatbotId)
  }

  savedConversation(conversationId: string): ConversationMessage[] | undefined {
    return this.chatArea.savedConversation(conversationId)
  }

  setChatReply(reply: ChatReply): void {
    this.chatArea.setReply(reply)
  }

  setShapes(shapes: Shapes): void {
    this.store.shapes = shapes
  }

  setClockSkew(seconds: number): void {
    this.store.clockSkewSeconds = seconds
  }

  contractViolations(): string[] {
    return [...this.v2.violations]
  }

  agent(agentId: string): Agent | undefined {
    return this.agentsArea.agent(agentId)
  }

  addAgentConversation(agentId: string, conversation: NewAgentConversation): AgentConversation {
    return structuredClone(this.agentConversations.add(agentId, conversation))
  }

  agentConversation(conversationId: string): AgentConversation | undefined {
    const conversation = this.agentConversations.anywhere(conversationId)
    return conversation && structuredClone(conversation)
  }

  setConversationStatus(conversationId: string, status: ConversationStatus): void {
    const conversation = this.agentConversations.anywhere(conversationId)
    if (!conversation) throw new Error(`Unknown conversation "${conversationId}"`)
    conversation.status = status
  }

  setAgentReply(reply: AgentReplyHook): void {
    this.agentChatArea.setReply(reply)
  }

  setPlanAccess(access: PlanAccess): void {
    this.v2.planAccess = access
  }

  setErrorSpelling(spelling: ErrorSpelling): void {
    this.v2.spelling = spelling
  }

  setKeyState(state: KeyState): void {
    this.v2.keyState = state
  }

  setRateLimitResetUnit(unit: ResetUnit): void {
    this.v2.resetUnit = unit
  }

  setMaintenance(on: boolean): void {
    this.v2.maintenance = on
  }

  setChatCreditsExhausted(exhausted: boolean): void {
    this.agentChatArea.creditsExhausted = exhausted
  }

  setConversationNotOngoingStatus(status: 400 | 409): void {
    this.agentConversations.notOngoingStatus = status
  }

  setStreamShape(shape: Partial<StreamShape>): void {
    Object.assign(this.agentChatArea.stream, shape)
  }

  setSearchPaging(paging: SearchPaging): void {
    this.searchArea.paging = paging
  }

  sources(agentId: string): StoredSource[] {
    return this.sourcesArea.sources(agentId)
  }

  addSource(agentId: string, source: NewSource): Source {
    return this.sourcesArea.add(agentId, source)
  }

  setSourceTraining(training: Training): void {
    this.sourcesArea.training = { ...training }
  }

  setFileSourceShape(shape: FileSourceShape): void {
    this.sourcesArea.fileShape = shape
  }

  setSourceDeletion(deletion: Deletion): void {
    this.sourcesArea.deletion = deletion
  }

  setSourceStorageLimit(bytes: number | null): void {
    this.sourcesArea.storageLimitBytes = bytes
  }

  helpdesk(agentId: string): { statuses: TicketStatus[]; teams: Team[]; tickets: StoredTicket[] } {
    return this.helpdeskArea.helpdesk(agentId)
  }

  addTicket(agentId: string, ticket: NewTicket): StoredTicket {
    return this.helpdeskArea.addTicket(agentId, ticket)
  }

  setHelpdeskShape(shape: Partial<HelpdeskShape>): void {
    Object.assign(this.helpdeskArea.shape, shape)
  }

  reset(): void {
    this.server.reset()
    this.store.reset()
    this.chatArea.reset()
    this.leadsArea.reset()
    this.v2.reset()
    this.agentChatArea.reset()
    this.agentConversations.reset()
    this.searchArea.reset()
    this.sourcesArea.reset()
    this.helpdeskArea.reset()
  }
}

export async function startChatbaseEmulator(
  options: { apiKey?: string; chatbotIds?: string[] } = {}
): Promise<ChatbaseEmulator> {
  const emulator = new Emulator(options.apiKey ?? DEFAULT_API_KEY, options.chatbotIds ?? DEFAULT_CHATBOT_IDS)
  await emulator.listen()
  return emulator
}
