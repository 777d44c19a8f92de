// POST /chat: a deterministic answer (or the one a test sets), and the conversation saved on the dashboard when the
// call names a conversationId, where get-conversations finds it.
import type { Answer, Context, Route } from './server'
import type { ConversationMessage, Store } from './store'
import { check, checkRange, invalid, parseJsonObject, type Issue, type Json } from './validation'

type ChatMessage = { role: 'user' | 'assistant'; content: string }

export type ChatReply = (request: { messages: ChatMessage[] }) => string

const defaultChatReply: ChatReply = ({ messages }) => {
  const lastUserMessage = [...messages].reverse().find((message) => message.role === 'user')
  return `Emulated reply to "${lastUserMessage?.content ?? ''}" (messages received: ${messages.length})`
}

export class ChatArea {
  readonly routes: Route[] = [{ method: 'POST', path: '/chat', handle: (context) => this.chat(context) }]
  private reply = defaultChatReply

  constructor(private readonly store: Store) {}

  setReply(reply: ChatReply): void {
    this.reply = reply
  }

  savedConversation(conversationId: string): ConversationMessage[] | undefined {
    const saved = this.store.conversations.get(conversationId)
    return saved && structuredClone(saved.messages)
  }

  reset(): void {
    this.reply = defaultChatReply
  }

  private chat({ body }: Context): Answer {
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    if (check(issues, 'messages', input.messages, 'array', true)) {
      const messages = input.messages as unknown[]
      if (messages.length === 0) issues.push({ field: 'messages', message: 'Array must contain at least 1 element(s)' })
      messages.forEach((message, index) => {
        const field = `messages.${index}`
        if (!check(issues, field, message, 'object', true)) return
        const { role, content } = message as Json
        if (role !== 'user' && role !== 'assistant') {
          issues.push({
            field: `${field}.role`,
            message:
              role === undefined
                ? 'Required'
                : `Invalid enum value. Expected 'user' | 'assistant', received '${String(role)}'`,
          })
        }
        check(issues, `${field}.content`, content, 'string', true)
      })
    }
    check(issues, 'chatbotId', input.chatbotId, 'string', true)
    // The integration always asks for the whole answer at once: the server-sent events of stream: true are not emulated
    if (check(issues, 'stream', input.stream, 'boolean') && input.stream) {
      issues.push({ field: 'stream', message: 'Streaming is not emulated: send stream false or leave it out' })
    }
    if (check(issues, 'temperature', input.temperature, 'number')) {
      checkRange(issues, 'temperature', input.temperature as number, 0, 1)
    }
    check(issues, 'model', input.model, 'string')
    check(issues, 'conversationId', input.conversationId, 'string')
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const chatbotId = input.chatbotId as string
    this.store.known(chatbotId) // 404 for an unknown chatbot
    const messages = (input.messages as ChatMessage[]).map(({ role, content }) => ({ role, content }))
    const conversationId = input.conversationId as string | undefined
    const text = this.reply({ messages: structuredClone(messages) })
    // Chatbase keeps no memory: the latest call for a conversation id replaces what the dashboard shows
    if (conversationId !== undefined) {
      // saved on the dashboard with source "API"; created_at stays that of the first save for this chatbot
      const previous = this.store.conversations.get(conversationId)
      this.store.conversations.set(conversationId, {
        id: conversationId,
        created_at: previous?.chatbot_id === chatbotId ? previous.created_at : new Date().toISOString(),
        messages: [...messages, { role: 'assistant', content: text }],
        chatbot_id: chatbotId,
        customer: '',
        source: 'API',
      })
    }
    return { status: 200, json: { text } }
  }
}
