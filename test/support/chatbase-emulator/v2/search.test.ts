// Conversation search: text over titles and messages (every word), each filter, snippets, the searchable window,
// cursors bound to their query, and the sparse pages the docs warn about. Answers are checked against the schema
// written from the reference (openapi-contract.ts).
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator, NewAgentConversation } from '../index'
import { CHATBOT, useEmulator, type Body } from '../self-test'

let emulator: ChatbaseEmulator
const { v2 } = useEmulator((started) => (emulator = started))

const SEARCH = `/agents/${CHATBOT}/conversations/search`
const search = (query: Record<string, string>) => v2('GET', SEARCH, { query })
const ids = (reply: { json: Body }) => reply.json.data.map((item: { id: string }) => item.id)
const add = (conversation: NewAgentConversation) => emulator.addAgentConversation(CHATBOT, conversation).id
const now = () => Math.floor(Date.now() / 1000)

describe('search by text', () => {
  it('finds conversations where every word occurs, in the title or any message, the most hits first', async () => {
    const once = add({
      messages: [
        { role: 'user', text: 'My refund is late, refund it' },
        { role: 'assistant', text: 'Order found' },
      ],
    })
    const twice = add({
      source: 'WhatsApp',
      messages: [{ role: 'user', text: 'Refund please, the order was a refund request for order 7' }],
    })
    const titled = add({ title: 'Refund order', messages: [{ role: 'user', text: 'Hello' }] })
    add({ messages: [{ role: 'user', text: 'Refund only' }] })
    const reply = await search({ query: 'refund ORDER' })
    expect(ids(reply)).toEqual([twice, once, titled])
    expect(reply.json.pagination).toEqual({ cursor: null, hasMore: false })
    expect(reply.json.data[0]).toMatchObject({
      source: 'WhatsApp',
      status: 'ongoing',
      parentConversationId: null,
      parentSummary: null,
      embedOrigin: null,
    })
    expect(reply.json.data[2].snippet).toBeNull() // only the title matched
  })

  it('gives a snippet of the best message, cut into hits and the rest', async () => {
    add({
      messages: [
        { role: 'user', text: 'Hi there' },
        { role: 'assistant', text: 'Refunds take 5 days. Your refund is on its way.' },
      ],
    })
    const [result] = (await search({ query: 'refund' })).json.data
    expect(result.snippet).toEqual({
      speaker: 'assistant',
      highlights: [
        { value: 'Refunds', isHit: true },
        { value: ' take 5 days. Your ', isHit: false },
        { value: 'refund', isHit: true },
        { value: ' is on its way.', isHit: false },
      ],
    })
  })

  it('without a query, lists the most recently active first, without snippets', async () => {
    const quiet = add({ updatedAt: now() - 100 })
    const busy = add({ updatedAt: now() })
    const reply = await search({})
    expect(ids(reply)).toEqual([busy, quiet])
    expect(reply.json.data.every((result: { snippet: unknown }) => result.snippet === null)).toBe(true)
  })

  it('leaves out conversations created before the 1st of the month 12 months ago', async () => {
    const date = new Date()
    const edge = Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), 1) / 1000
    const kept = add({ createdAt: edge })
    add({ createdAt: edge - 1 })
    expect(ids(await search({}))).toEqual([kept])
  })
})

describe('search filters', () => {
  it.each([
    ['source', 'Slack,WhatsApp', { source: 'Slack' as const }],
    ['sentiment', 'negative', { sentiment: 'negative' as const }],
    ['sentiment', 'unspecified', { sentiment: null }],
    ['topic', 'Billing', { topic: 'Billing' }],
    ['userId', 'user_1,user_9', { userId: 'user_1' }],
    ['activityState', 'taken_over', { status: 'taken_over' as const }],
    ['escalated', 'true', { escalated: true }],
    ['actionType', 'collect-leads', { actionTypes: ['collect-leads'] }],
    ['tool', 'lookupOrder', { tools: [{ name: 'lookupOrder', outcome: 'success' }] }],
    ['hasVoice', 'true', { hasVoice: true }],
  ])('filters on %s=%s', async (field, value, fields) => {
    const other: NewAgentConversation = { sentiment: 'positive', topic: 'Sales', userId: 'user_2', status: 'ended' }
    add(other)
    const match = add({ ...other, ...fields })
    expect(ids(await search({ [field]: value }))).toEqual([match])
  })

  it('filters on feedback given to a message', async () => {
    const rated = add({ messages: [{ role: 'assistant', text: 'Done', feedback: 'negative' }] })
    add({ messages: [{ role: 'assistant', text: 'Done', feedback: 'positive' }] })
    expect(ids(await search({ feedback: 'negative' }))).toEqual([rated])
  })

  it('scopes a tool outcome to the tools named, and ANDs the filters', async () => {
    const failed = add({ tools: [{ name: 'lookupOrder', outcome: 'error' }], sentiment: 'negative' })
    add({
      tools: [
        { name: 'lookupOrder', outcome: 'success' },
        { name: 'other', outcome: 'error' },
      ],
    })
    expect(ids(await search({ tool: 'lookupOrder', toolOutcome: 'error' }))).toEqual([failed])
    expect(ids(await search({ toolOutcome: 'error', sentiment: 'positive' }))).toEqual([])
  })

  it('filters on created and last-activity windows, and refuses an inverted one', async () => {
    const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`) / 1000
    const date = new Date()
    const recent = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)).toISOString().slice(0, 10)
    const first = add({ createdAt: day(recent), updatedAt: day(recent) + 3_600 })
    add({ createdAt: now(), updatedAt: now() })
    expect(ids(await search({ startDate: recent, endDate: recent }))).toContain(first)
    expect(ids(await search({ updatedBefore: recent }))).toEqual([first])
    const inverted = await search({ updatedAfter: '2026-05-02', updatedBefore: '2026-05-01' })
    expect(inverted).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_DATE_RANGE' } } })
  })

  it('refuses an unknown value of an enumerated filter', async () => {
    const reply = await search({ activityState: 'archived' })
    expect(reply).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
  })
})

describe('search paging', () => {
  it('binds the cursor to its query: changing anything but limit is 400 VALIDATION_CURSOR_QUERY_MISMATCH', async () => {
    for (let index = 0; index < 3; index++) add({ messages: [{ role: 'user', text: 'refund' }] })
    const first = await search({ query: 'refund', limit: '2' })
    expect(first.json.pagination).toEqual({ cursor: expect.any(String), hasMore: true })
    const { cursor } = first.json.pagination
    expect((await search({ query: 'refund', limit: '1', cursor })).json.data).toHaveLength(1)
    const changed = await search({ query: 'refunds', limit: '2', cursor })
    expect(changed).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_CURSOR_QUERY_MISMATCH' } } })
  })

  it('gives an empty first page and short ones while hasMore is true, when switched', async () => {
    const all = Array.from({ length: 5 }, (_, index) => add({ updatedAt: now() - index }))
    emulator.setSearchPaging('sparse')
    const seen: string[] = []
    let reply = await search({ limit: '4' })
    expect(reply.json.data).toEqual([])
    expect(reply.json.pagination.hasMore).toBe(true)
    while (reply.json.pagination.hasMore) {
      reply = await search({ limit: '4', cursor: reply.json.pagination.cursor })
      expect(reply.json.data.length).toBeLessThanOrEqual(2)
      seen.push(...ids(reply))
    }
    expect(seen).toEqual(all)
  })
})
