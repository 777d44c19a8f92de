// What the emulated Chatbase account holds, shared by the API areas: its chatbots, with what each area keeps for every
// one of them (the area's slot), the dashboard's conversations, and how Chatbase answers (shapes, clock).
import { notFound } from './validation'

export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date'] as const
export type CustomAttributeType = (typeof ATTRIBUTE_TYPES)[number]

// A message of a stored conversation: the docs type its role as any string (a dashboard may hold other roles)
export type ConversationMessage = { role: string; content: string }

// The sources get-conversations documents for filteredSources; written from the docs apart from the integration's own
// list, so that the end-to-end tests catch a source the integration gets wrong
export const CONVERSATION_SOURCES = [
  'API',
  'Chatbase site',
  'Instagram',
  'Messenger',
  'Slack',
  'Unspecified',
  'WhatsApp',
  'Widget or Iframe',
] as const
export type ConversationSource = (typeof CONVERSATION_SOURCES)[number]

export type StoredConversation = {
  id: string
  created_at: string // ISO 8601
  messages: ConversationMessage[]
  chatbot_id: string
  customer: string // the docs type it as a string; '' when nothing identifies the customer (the docs are silent)
  source: ConversationSource
}

// How the emulator shapes the answers the docs and the live API disagree on (see setShapes)
export type Shapes = 'documented' | 'live'

// What one area keeps for each chatbot: made with the chatbot (afresh on reset()), gone when the chatbot is deleted
export type Slot<T> = {
  known(chatbotId: string): T // for the routes: an unknown chatbot is Chatbase's 404
  configured(chatbotId: string): T // for the test API: an unknown chatbot is a mistake in the test
  find(chatbotId: string): T | undefined
  all(): T[] // in the chatbots' creation order
}

type Held = Map<Slot<unknown>, unknown> // what every slot holds for one chatbot

export class Store {
  shapes: Shapes = 'documented'
  clockSkewSeconds = 0 // Chatbase's clock against this machine's (negative: behind)
  // saved by /chat calls with a conversationId and by addConversation, by conversation id
  readonly conversations = new Map<string, StoredConversation>()
  private readonly chatbots = new Map<string, Held>() // by chatbot id, in creation order
  private readonly creators = new Map<Slot<unknown>, (chatbotId: string, name: string) => unknown>()
  // the configured chatbots and those given to addChatbot: reset() keeps (or restores) exactly these
  private readonly permanentChatbotIds = new Set<string>()

  // Each area takes its slot when it is made, before the first chatbot is added
  slot<T>(create: (chatbotId: string, name: string) => T): Slot<T> {
    const slot: Slot<T> = {
      known: (chatbotId) => this.known(chatbotId).get(slot) as T,
      configured: (chatbotId) => this.configured(chatbotId).get(slot) as T,
      find: (chatbotId) => this.chatbots.get(chatbotId)?.get(slot) as T | undefined,
      all: () => [...this.chatbots.values()].map((held) => held.get(slot) as T),
    }
    this.creators.set(slot, create)
    return slot
  }

  // A chatbot as created through the API: reset() removes it
  addChatbot(chatbotId: string, name = chatbotId): void {
    this.chatbots.set(chatbotId, new Map([...this.creators].map(([slot, create]) => [slot, create(chatbotId, name)])))
  }

  // A chatbot that survives reset(); one that exists already keeps what it holds
  addPermanentChatbot(chatbotId: string): void {
    this.permanentChatbotIds.add(chatbotId)
    if (!this.chatbots.has(chatbotId)) this.addChatbot(chatbotId)
  }

  // Removes the chatbot with what every slot holds for it and its saved conversations
  deleteChatbot(chatbotId: string): void {
    this.chatbots.delete(chatbotId)
    for (const [id, conversation] of this.conversations) {
      if (conversation.chatbot_id === chatbotId) this.conversations.delete(id)
    }
  }

  known(chatbotId: string): Held {
    const held = this.chatbots.get(chatbotId)
    if (!held) throw notFound('Chatbot not found')
    return held
  }

  configured(chatbotId: string): Held {
    const held = this.chatbots.get(chatbotId)
    if (!held) throw new Error(`Unknown chatbot "${chatbotId}": add it with addChatbot first`)
    return held
  }

  unixNow(): number {
    return Math.floor(Date.now() / 1000) + this.clockSkewSeconds
  }

  // Fresh slots for the permanent chatbots (recreated if deleted); API-created chatbots and conversations go
  reset(): void {
    this.shapes = 'documented'
    this.clockSkewSeconds = 0
    this.conversations.clear()
    this.chatbots.clear()
    for (const chatbotId of this.permanentChatbotIds) this.addChatbot(chatbotId)
  }
}
