// A local stand-in for the Chatbase REST API (https://www.chatbase.co/api/v1), faithful to the Chatbase docs, for the
// end-to-end tests and the playground. Plain node:http (server.ts); each area of the API has its module, with its
// routes and what it keeps of each chatbot in the shared store (store.ts). This module assembles them.
import { ChatArea, type ChatReply } from './chat'
import { ChatbotsArea, type ChatbotImage, type StoredChatbot, type StoredImage } from './chatbots'
import { ContactsArea, type StoredContact } from './contacts'
import { CustomAttributesArea, type NewCustomAttribute } from './custom-attributes'
import { LeadsArea, type NewConversation, type NewLead, type StoredLead } from './leads'
import { ApiServer, type Fault, type RecordedRequest } from './server'
import { Store, type ConversationMessage, type Shapes, type StoredConversation } from './store'

// What other files import; the types the methods below name stay with their areas
export { deliverLeadWebhook, leadWebhook, signWebhookBody, type LeadDelivery } from './webhook'
export type { StoredChatbot } from './chatbots'
export type { StoredContact } from './contacts'
export type { Fault, RecordedRequest } from './server'
export type { Shapes } from './store'

export interface ChatbaseEmulator {
  readonly url: string // base URL including /api/v1, e.g. http://127.0.0.1:43123/api/v1
  readonly apiKey: string
  readonly requests: RecordedRequest[] // every request received, in order (also ones answered by a fault)
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
  // clears requests, faults, store contents (chatbot settings too), the chat reply, the shapes, the clock skew and
  // stats.maxInFlight; keeps the api key and the configured / addChatbot chatbots (restored if deleted), removes
  // chatbots created through the API
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
  private readonly server: ApiServer

  constructor(apiKey: string, chatbotIds: string[]) {
    const areas = [this.chatArea, this.contactsArea, this.customAttributesArea, this.leadsArea, this.chatbotsArea]
    this.server = new ApiServer(
      apiKey,
      areas.flatMap((area) => area.routes)
    )
    chatbotIds.forEach((chatbotId) => this.addChatbot(chatbotId))
  }

  get url(): string {
    return this.server.url
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

  reset(): void {
    this.server.reset()
    this.store.reset()
    this.chatArea.reset()
    this.leadsArea.reset()
  }
}

export async function startChatbaseEmulator(
  options: { apiKey?: string; chatbotIds?: string[] } = {}
): Promise<ChatbaseEmulator> {
  const emulator = new Emulator(options.apiKey ?? DEFAULT_API_KEY, options.chatbotIds ?? DEFAULT_CHATBOT_IDS)
  await emulator.listen()
  return emulator
}
