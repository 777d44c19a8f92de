// The agents: the configured chatbots seen through v2, list, get, create, update, delete, styles, auto-retrain,
// clone and the deprecated train. Every answer is checked against the spec by the emulator (see self-test.ts).
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator } from '../self-test'

let emulator: ChatbaseEmulator
const { api, v2 } = useEmulator((started) => (emulator = started))

const AGENT = `/agents/${CHATBOT}`

async function createAgent(body: Record<string, unknown> = { name: 'Support' }): Promise<string> {
  const reply = await v2('POST', '/agents', { body })
  expect(reply.status).toBe(201)
  return reply.json.id
}

describe('agents', () => {
  it('gets a configured chatbot as a bare Agent, ISO timestamps, trained', async () => {
    const reply = await v2('GET', AGENT)
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({
      id: CHATBOT,
      name: CHATBOT,
      autoRetrain: false,
      visibility: 'private',
      creditsUsed: 0,
      status: 'trained',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      lastTrainedAt: expect.stringMatching(/^\d{4}-/),
      lastMessageAt: null,
    })
    expect(emulator.agent(CHATBOT)).toEqual(reply.json)
  })

  it('answers 404 AGENT_NOT_FOUND for an unknown agent', async () => {
    const reply = await v2('GET', '/agents/no-such-agent')
    expect(reply).toMatchObject({
      status: 404,
      json: { error: { code: 'AGENT_NOT_FOUND', message: 'Agent not found' } },
    })
  })

  it('lists agents in pages with a cursor, and the total', async () => {
    for (const name of ['A', 'B']) await createAgent({ name })
    const first = await v2('GET', '/agents', { query: { limit: '2' } })
    expect(first.json.data.map((agent: { name: string }) => agent.name)).toEqual([CHATBOT, 'A'])
    expect(first.json.pagination).toEqual({ cursor: expect.any(String), hasMore: true, total: 3 })
    const second = await v2('GET', '/agents', { query: { limit: '2', cursor: first.json.pagination.cursor } })
    expect(second.json.data.map((agent: { name: string }) => agent.name)).toEqual(['B'])
    expect(second.json.pagination).toEqual({ cursor: null, hasMore: false, total: 3 })
  })

  it('creates an untrained agent (201, the id only), which v1 sees as a chatbot', async () => {
    const id = await createAgent({ name: 'Sales', instructions: 'Be brief', model: 'gpt-5-mini', temp: 0.3 })
    expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/)
    expect(emulator.agent(id)).toMatchObject({
      name: 'Sales',
      instructions: 'Be brief',
      model: 'gpt-5-mini',
      temp: 0.3,
      status: 'untrained',
      lastTrainedAt: null,
    })
    const chatbots = (await api('GET', '/get-chatbots')).json.chatbots
    expect(chatbots.map((chatbot: { id: string }) => chatbot.id)).toContain(id)
    const training = await createAgent({ name: 'Site', url: 'https://example.com' })
    expect(emulator.agent(training)?.status).toBe('training')
  })

  it('updates only the fields given, merging ipRateLimits and putting its defaults back on null', async () => {
    const update = await v2('PUT', AGENT, { body: { name: 'Renamed', ipRateLimits: { limit: 50 }, creditLimit: 100 } })
    expect(update).toMatchObject({ status: 200, json: { success: true } })
    expect(emulator.agent(CHATBOT)).toMatchObject({
      name: 'Renamed',
      instructions: '',
      creditLimit: 100,
      ipRateLimits: { limit: 50, timeframe: 240, message: 'Too many messages in a row' },
    })
    await v2('PUT', AGENT, { body: { ipRateLimits: null } })
    expect(emulator.agent(CHATBOT)?.ipRateLimits.limit).toBe(20)
    expect((await v2('PUT', '/agents/nope', { body: { name: 'x' } })).status).toBe(404)
  })

  it('deletes an agent with its v1 chatbot', async () => {
    const id = await createAgent()
    expect(await v2('DELETE', `/agents/${id}`)).toMatchObject({ status: 200, json: { success: true } })
    expect((await v2('GET', `/agents/${id}`)).status).toBe(404)
    expect(emulator.agent(id)).toBeUndefined()
    expect((await v2('DELETE', `/agents/${id}`)).status).toBe(404)
  })

  it('merges styles into chat and centerStage', async () => {
    const reply = await v2('PUT', `${AGENT}/styles`, {
      body: { styles: { chat: { theme: 'dark', headerColor: '#abcdef' }, centerStage: { enabled: true } } },
    })
    expect(reply.json).toEqual({ success: true })
    expect(emulator.agent(CHATBOT)?.styles).toEqual({
      chat: {
        theme: 'dark',
        headerColor: '#abcdef',
        userMessageColor: '#3B81F7',
        buttonColor: '#3B81F7',
        displayName: CHATBOT,
      },
      centerStage: { enabled: true },
    })
    expect((await v2('GET', AGENT)).status).toBe(200) // the merged styles are still a valid Agent
  })

  it('turns auto-retrain on for a trained agent; 409 AGENT_NOT_TRAINED for one never trained', async () => {
    expect((await v2('PUT', `${AGENT}/auto-retrain`, { body: { enabled: true } })).json).toEqual({ success: true })
    expect(emulator.agent(CHATBOT)?.autoRetrain).toBe(true)
    const untrained = await createAgent()
    const refused = await v2('PUT', `/agents/${untrained}/auto-retrain`, { body: { enabled: true } })
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'AGENT_NOT_TRAINED' } } })
    expect((await v2('PUT', `/agents/${untrained}/auto-retrain`, { body: { enabled: false } })).status).toBe(200)
  })

  it('answers 403 PLAN_FEATURE_NOT_AVAILABLE to auto-retrain on a plan without it, the rest working', async () => {
    emulator.setPlanAccess('no-auto-retrain')
    const reply = await v2('PUT', `${AGENT}/auto-retrain`, { body: { enabled: true } })
    expect(reply).toMatchObject({ status: 403, json: { error: { code: 'PLAN_FEATURE_NOT_AVAILABLE' } } })
    expect((await v2('GET', AGENT)).status).toBe(200)
  })

  it('clones an agent under a new id (201), usage starting afresh', async () => {
    await v2('PUT', AGENT, { body: { instructions: 'Cloned instructions' } })
    await v2('POST', `${AGENT}/chat`, { body: { message: 'hi', stream: false } })
    const reply = await v2('POST', `${AGENT}/clone`)
    expect(reply.status).toBe(201)
    const clone = emulator.agent(reply.json.id)
    expect(clone).toMatchObject({
      name: CHATBOT,
      instructions: 'Cloned instructions',
      creditsUsed: 0,
      lastMessageAt: null,
    })
    expect(emulator.agent(CHATBOT)?.creditsUsed).toBe(1)
    expect((await v2('POST', '/agents/nope/clone')).status).toBe(404)
  })

  it('answers the deprecated train with success', async () => {
    const reply = await v2('POST', `${AGENT}/train`)
    expect(reply.json).toEqual({ success: true, deprecated: true, message: expect.any(String) })
  })

  it('reset() removes agents created through v2 and restores the settings of configured ones', async () => {
    const id = await createAgent()
    await v2('PUT', AGENT, { body: { name: 'Renamed' } })
    emulator.reset()
    expect(emulator.agent(id)).toBeUndefined()
    expect(emulator.agent(CHATBOT)?.name).toBe(CHATBOT)
  })
})
