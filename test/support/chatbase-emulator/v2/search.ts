// GET conversations/search (§7.4, not in the vendored spec): every source, by text (every word must match, over
// titles and messages), by filters (AND between them, OR within one), or both. With a query, results are ranked by
// how often the words occur, each with a snippet of its best-matching message; without, the most recently active
// come first. Only conversations created since the 1st of the month 12 months ago are searchable.
import type { AgentsArea } from './agents'
import {
  CONVERSATION_SOURCES,
  CONVERSATION_STATUSES,
  dateWindow,
  enumListParam,
  listParam,
  type AgentConversation,
  type AgentConversations,
  type AgentMessage,
  type Run,
} from './conversation-store'
import { V2Error, type V2Answer, type V2Context, type V2Route } from './core'
import { cursorOffset, encodeCursor, queryKey } from './paging'

// 'full' pages, or 'sparse': the first page empty and the others half full while hasMore is true, as the docs warn
// they may be (§5)
export type SearchPaging = 'full' | 'sparse'

const DEFAULT_LIMIT = 25
const SNIPPET_LENGTH = 180 // "one ~180-char excerpt of the best-matching message"

type Hit = { conversation: AgentConversation; score: number; best?: AgentMessage }

export class SearchArea {
  paging: SearchPaging = 'full'
  readonly routes: V2Route[] = [{ operation: 'searchConversations', handle: (context) => this.search(context) }]

  constructor(
    private readonly agents: AgentsArea,
    private readonly conversations: AgentConversations
  ) {}

  reset(): void {
    this.paging = 'full'
  }

  private search({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const key = queryKey(query)
    const mismatch = new V2Error(
      400,
      'VALIDATION_CURSOR_QUERY_MISMATCH',
      'The cursor belongs to another query: keep every parameter but limit unchanged while paging'
    )
    const offset = cursorOffset(query.cursor, key, mismatch)
    const matches = filters(query)
    const words = (query.query ?? '').toLowerCase().match(WORD) ?? []
    const oldest = searchableSince(this.conversations.now())
    const hits: Hit[] = []
    for (const conversation of this.conversations.all(params.agentId!)) {
      if (conversation.createdAt < oldest || !matches(conversation)) continue
      const hit = words.length === 0 ? { conversation, score: 0 } : rank(conversation, words)
      if (hit) hits.push(hit)
    }
    hits.reverse().sort((a, b) => b.score - a.score || b.conversation.updatedAt - a.conversation.updatedAt)

    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit)
    // sparse: a first page with nothing on it, then pages of half the limit
    const size = this.paging === 'sparse' ? (query.cursor === undefined ? 0 : Math.ceil(limit / 2)) : limit
    const data = hits.slice(offset, offset + size).map((hit) => result(hit, words))
    const hasMore = offset + size < hits.length
    return {
      status: 200,
      json: { data, pagination: { cursor: hasMore ? encodeCursor(offset + size, key) : null, hasMore } },
    }
  }
}

const WORD = /[\p{L}\p{N}]+/gu

// The 1st of the month 12 months before now (UTC), in Unix seconds
function searchableSince(now: number): number {
  const date = new Date(now * 1000)
  return Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), 1) / 1000
}

// Every filter of the query as one test
function filters(query: Record<string, string>): (conversation: AgentConversation) => boolean {
  const sources = enumListParam(query, 'source', CONVERSATION_SOURCES)
  const sentiments = enumListParam(query, 'sentiment', ['positive', 'neutral', 'negative', 'unspecified'])
  const topics = listParam(query, 'topic')
  const userIds = listParam(query, 'userId')
  const states = enumListParam(query, 'activityState', CONVERSATION_STATUSES)
  const feedback = enumListParam(query, 'feedback', ['positive', 'negative'])
  const actionTypes = listParam(query, 'actionType')
  const tools = runFilter(listParam(query, 'tool'), listParam(query, 'toolOutcome'))
  const procedures = runFilter(listParam(query, 'procedure'), listParam(query, 'procedureOutcome'))
  const created = dateWindow(query, 'startDate', 'endDate')
  const updated = dateWindow(query, 'updatedAfter', 'updatedBefore')
  const anyOf = (values: string[], value: string | null) =>
    values.length === 0 || values.includes(value ?? 'unspecified')
  return (conversation) =>
    (sources.length === 0 || sources.includes(conversation.source as string)) &&
    anyOf(sentiments, conversation.sentiment) &&
    anyOf(topics, conversation.topic) &&
    (userIds.length === 0 || userIds.includes(conversation.userId as string)) &&
    (states.length === 0 || states.includes(conversation.status)) &&
    (feedback.length === 0 || conversation.messages.some((message) => feedback.includes(message.feedback as string))) &&
    (query.escalated === undefined || conversation.escalated) &&
    (actionTypes.length === 0 || conversation.actionTypes.some((type) => actionTypes.includes(type))) &&
    tools(conversation.tools) &&
    procedures(conversation.procedures) &&
    (query.hasVoice === undefined || conversation.hasVoice === (query.hasVoice === 'true')) &&
    created(conversation.createdAt) &&
    updated(conversation.updatedAt)
}

// tool / procedure names that ran, and the outcomes of runs, "scoped to" those names when they are given
function runFilter(names: string[], outcomes: string[]): (runs: Run[]) => boolean {
  return (runs) =>
    (names.length === 0 || runs.some((run) => names.includes(run.name))) &&
    (outcomes.length === 0 ||
      runs.some((run) => (names.length === 0 || names.includes(run.name)) && outcomes.includes(run.outcome ?? '')))
}

const textOf = (message: AgentMessage) => message.parts.map((part) => (part.type === 'text' ? part.text : '')).join(' ')

// A word of the query matches a word of the text that starts with it ("refund" finds "refunds")
const matchesWord = (token: string, words: string[]) => words.some((word) => token.startsWith(word))

// The conversation's score (how many of its words match), undefined unless every query word occurs in its title or
// messages; the best message is the one that matches the most
function rank(conversation: AgentConversation, words: string[]): Hit | undefined {
  const texts = [conversation.title ?? '', ...conversation.messages.map(textOf)]
  const tokens = texts.flatMap((text) => text.toLowerCase().match(WORD) ?? [])
  if (!words.every((word) => tokens.some((token) => token.startsWith(word)))) return undefined
  const count = (text: string) =>
    (text.toLowerCase().match(WORD) ?? []).filter((token) => matchesWord(token, words)).length
  let best: AgentMessage | undefined
  let bestCount = 0
  for (const message of conversation.messages) {
    const hits = count(textOf(message))
    if (hits > bestCount) [best, bestCount] = [message, hits]
  }
  return { conversation, score: tokens.filter((token) => matchesWord(token, words)).length, ...(best && { best }) }
}

function result({ conversation, best }: Hit, words: string[]) {
  const { id, title, createdAt, updatedAt, userId, source, status } = conversation
  return {
    id,
    title,
    createdAt,
    updatedAt,
    userId,
    source,
    status,
    // undocumented beyond their names: nothing the emulator models
    parentConversationId: null,
    parentSummary: null,
    embedOrigin: null,
    // null when only the title matched, or without a query; the AI's speaker value is undocumented: its role
    snippet: best ? { speaker: best.role, highlights: highlights(textOf(best), words) } : null,
  }
}

// An excerpt of the text around its first hit, cut into runs that are or are not hits
function highlights(text: string, words: string[]): { value: string; isHit: boolean }[] {
  const tokens = [...text.matchAll(WORD)]
  const first = tokens.find((token) => matchesWord(token[0].toLowerCase(), words))?.index ?? 0
  const start = Math.max(0, text.lastIndexOf(' ', Math.max(0, first - SNIPPET_LENGTH / 3)) + 1)
  const excerpt = text.slice(start, start + SNIPPET_LENGTH)
  const runs: { value: string; isHit: boolean }[] = []
  let at = 0
  for (const token of excerpt.matchAll(WORD)) {
    if (!matchesWord(token[0].toLowerCase(), words)) continue
    if (token.index > at) runs.push({ value: excerpt.slice(at, token.index), isHit: false })
    runs.push({ value: token[0], isHit: true })
    at = token.index + token[0].length
  }
  if (at < excerpt.length) runs.push({ value: excerpt.slice(at), isHit: false })
  return runs
}
