import { z } from '@botpress/sdk'
import type { ChatbaseTransport } from '../transport'
import { agentPath, agentTarget, cursorPage, type CursorPage } from './shared'

/*
 * The two v2 reads of conversations from every channel (§7.4 of the reference): export, with the messages, and
 * search, with a snippet of the best match. The others (list, get, messages) only see conversations made through the
 * API. Enum values (source, status, role, speaker) are read as any text: Chatbase adds channels.
 */

const partWire = z.object({ type: z.string(), text: z.string().nullish() }).passthrough()

const messageWire = z
  .object({
    id: z.string().nullish(),
    role: z.string().nullish(),
    parts: z.array(partWire).nullish(),
    createdAt: z.number().nullish(),
    feedback: z.string().nullish(),
  })
  .passthrough()
export type ExportMessageWire = z.infer<typeof messageWire>

const conversationFields = {
  id: z.string().min(1),
  title: z.string().nullish(),
  createdAt: z.number().nullish(),
  updatedAt: z.number().nullish(),
  userId: z.string().nullish(),
  source: z.string().nullish(),
  status: z.string().nullish(),
}

const exportedWire = z.object({ ...conversationFields, messages: z.array(messageWire).nullish() }).passthrough()
export type ExportedConversationWire = z.infer<typeof exportedWire>

const snippetWire = z
  .object({
    speaker: z.string().nullish(),
    highlights: z.array(z.object({ value: z.string(), isHit: z.boolean().nullish() }).passthrough()).nullish(),
  })
  .passthrough()

const foundWire = z
  .object({
    ...conversationFields,
    parentConversationId: z.string().nullish(),
    snippet: snippetWire.nullish(),
  })
  .passthrough()
export type FoundConversationWire = z.infer<typeof foundWire>

export type ExportQuery = {
  cursor?: string
  limit: number
  startDate?: string
  endDate?: string
  conversationId?: string
  include: 'messages' | 'summary'
  /** Comma-separated, as Chatbase takes it. */
  source?: string
}

/** Every filter of search, as Chatbase names them; lists already joined with commas. */
export type SearchQuery = Record<string, string | number | undefined> & { limit: number; cursor?: string }

export class ConversationsApi {
  public constructor(private readonly transport: ChatbaseTransport) {}

  public async exportPage(agentId: string, query: ExportQuery): Promise<CursorPage<ExportedConversationWire>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'conversations', 'export'),
      query,
      responseSchema: cursorPage(exportedWire),
      operation: 'get the conversations',
      target: agentTarget(agentId),
    })
  }

  public async searchPage(agentId: string, query: SearchQuery): Promise<CursorPage<FoundConversationWire>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'conversations', 'search'),
      query,
      responseSchema: cursorPage(foundWire),
      operation: 'search the conversations',
      target: agentTarget(agentId),
    })
  }
}

/** v2 gives conversations' times in Unix seconds; the cards give ISO 8601, as for everything else. */
const isoOf = (seconds: number | null | undefined): string | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined

/** What export and search both tell of a conversation, absent fields left out. */
const commonFields = (conversation: ExportedConversationWire | FoundConversationWire) => ({
  id: conversation.id,
  createdAt: isoOf(conversation.createdAt),
  updatedAt: isoOf(conversation.updatedAt),
  status: conversation.status ?? undefined,
  userId: conversation.userId ?? undefined,
  title: conversation.title ?? undefined,
  source: conversation.source ?? undefined,
})

/** A message's text: its text parts (tool calls and results carry none), one a line. */
const textOf = (message: ExportMessageWire): string =>
  (message.parts ?? [])
    .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('\n')

export const fromExportedConversation = (conversation: ExportedConversationWire, agentId: string) => ({
  ...commonFields(conversation),
  chatbotId: agentId,
  messages: (conversation.messages ?? []).map((message) => ({
    role: message.role ?? 'unknown',
    content: textOf(message),
    id: message.id ?? undefined,
    createdAt: isoOf(message.createdAt),
    feedback: message.feedback ?? undefined,
  })),
})

/** The snippet as plain text (its highlights joined), and what in it matched. */
export const fromFoundConversation = (conversation: FoundConversationWire) => {
  const highlights = conversation.snippet?.highlights ?? []
  const snippet = highlights.map((highlight) => highlight.value).join('')
  const matched = highlights.filter((highlight) => highlight.isHit === true).map((highlight) => highlight.value)
  return {
    ...commonFields(conversation),
    parentConversationId: conversation.parentConversationId ?? undefined,
    snippet: snippet === '' ? undefined : snippet,
    snippetSpeaker: conversation.snippet?.speaker ?? undefined,
    matched: matched.length > 0 ? matched : undefined,
  }
}
