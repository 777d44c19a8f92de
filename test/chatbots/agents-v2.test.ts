import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const v2Requests = (method: string, path: string | RegExp) =>
  h.chatbase.requests.filter(
    (request) =>
      request.api === 'v2' &&
      request.method === method &&
      (typeof path === 'string' ? request.path === path : path.test(request.path))
  )
const bodyOf = (request: { body: string } | undefined) => JSON.parse(request?.body ?? '{}')

describe('the AI agent cards on API v2', () => {
  it('creates an agent with its settings, then its text and web pages as sources', async () => {
    const created = await h.driver.callAction('createChatbot', {
      chatbotName: 'Support bot',
      instructions: 'Be brief.',
      model: 'gpt-5-mini',
      temp: 0.3,
      visibility: 'public',
      sourceText: 'We open at 9.',
      urlsToScrape: ['https://www.example.com/faq'],
    })
    const agentId = created.output?.chatbotId

    expect(created.output).toEqual({ chatbotId: expect.any(String) })
    expect(h.chatbase.agent(agentId)).toMatchObject({
      name: 'Support bot',
      instructions: 'Be brief.',
      model: 'gpt-5-mini',
      temp: 0.3,
      visibility: 'public',
    })
    expect(bodyOf(v2Requests('POST', '/agents')[0])).toEqual({
      name: 'Support bot',
      instructions: 'Be brief.',
      model: 'gpt-5-mini',
      temp: 0.3,
      visibility: 'public',
    })
    expect(v2Requests('POST', `/agents/${agentId}/sources`).map(bodyOf)).toEqual([
      { type: 'text', name: 'Source Text (Botpress)', content: 'We open at 9.' },
      { type: 'link', url: 'https://www.example.com/faq', linkType: 'individual' },
    ])
  })

  it('reports a source it could not add as a pending step: the agent exists, and a source is sent again only once Chatbase shows none was made', async () => {
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: /\/sources$/, status: 500, times: 2 })
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Half made', sourceText: 'Text.' })

    expect(created.output).toEqual({
      chatbotId: expect.any(String),
      pendingSteps: ['ADD_SOURCE'],
      pendingStepErrors: [expect.stringContaining('Could not add the text source "Source Text (Botpress)"')],
    })
    expect(h.chatbase.agent(created.output?.chatbotId)).toMatchObject({ name: 'Half made' })
    expect(v2Requests('POST', /\/sources$/)).toHaveLength(2)
    // One read looks for the source text to replace, one for a source the failed add may have made.
    expect(v2Requests('GET', /\/sources$/)).toHaveLength(2)
  })

  it("lists the agents, reads one and clones it, keeping a model name Chatbase's list lacks", async () => {
    await h.driver.callAction('updateChatbotSettings', { instructions: 'Answer in French.' })
    const listed = await h.driver.callAction('listChatbots', {})
    const read = await h.driver.callAction('getAgent', {})
    const cloned = await h.driver.callAction('cloneAgent', {})

    expect(listed.output?.chatbots).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: CHATBOT_ID, instructions: 'Answer in French.' })])
    )
    expect(read.output?.agent).toMatchObject({
      id: CHATBOT_ID,
      instructions: 'Answer in French.',
      settings: expect.objectContaining({ temp: expect.any(Number), status: expect.any(String) }),
    })
    expect(cloned.output).toEqual({ chatbotId: expect.any(String), clonedFrom: CHATBOT_ID })
    expect(h.chatbase.agent(cloned.output?.chatbotId)).toMatchObject({ instructions: 'Answer in French.' })
  })

  it('renames the agent and replaces the text source it manages, adding it the first time', async () => {
    await h.driver.callAction('updateChatbotData', { chatbotName: 'Help bot', sourceText: 'First text.' })
    await h.driver.callAction('updateChatbotData', { chatbotName: 'Help bot', sourceText: 'Second text.' })

    expect(h.chatbase.agent(CHATBOT_ID)?.name).toBe('Help bot')
    expect(v2Requests('POST', `/agents/${CHATBOT_ID}/sources`).map(bodyOf)).toEqual([
      { type: 'text', name: 'Source Text (Botpress)', content: 'First text.' },
    ])
    expect(v2Requests('PUT', new RegExp(`^/agents/${CHATBOT_ID}/sources/`)).map(bodyOf)).toEqual([
      { content: 'Second text.' },
    ])
  })

  it("updates settings under v2's names, the styles through the styles endpoint and the lead form through v1", async () => {
    const result = await h.driver.callAction('updateChatbotSettings', {
      temperature: 0.4,
      suggestedMessages: ['Prices?', 'Hours?'],
      domains: ['example.com'],
      ipLimit: 10,
      ipLimitTimeframe: 60,
      creditLimit: 500,
      blockedCountries: ['fr'],
      spamSettings: { enabled: true, prompt: 'Ads' },
      styles: { theme: 'dark', buttonColor: '#3B81F7' },
      collectCustomerInformation: { title: 'Contact us', email: { label: 'Email', active: true } },
    })

    expect(result.output).toEqual({ chatbotId: CHATBOT_ID })
    expect(bodyOf(v2Requests('PUT', `/agents/${CHATBOT_ID}`)[0])).toEqual({
      temp: 0.4,
      suggestedMessages: [
        { type: 'single', text: 'Prices?', order: 0 },
        { type: 'single', text: 'Hours?', order: 1 },
      ],
      allowedDomains: ['example.com'],
      ipRateLimits: { limit: 10, timeframe: 60 },
      creditLimit: 500,
      spamSettings: { enabled: true, prompt: 'Ads' },
      blockedCountries: ['FR'],
    })
    expect(h.chatbase.agent(CHATBOT_ID)).toMatchObject({
      temp: 0.4,
      allowedDomains: ['example.com'],
      ipRateLimits: { limit: 10, timeframe: 60 },
      styles: { chat: expect.objectContaining({ theme: 'dark', buttonColor: '#3B81F7' }) },
    })
    expect(h.chatbase.chatbot(CHATBOT_ID)?.collectCustomerInformation).toMatchObject({ title: 'Contact us' })

    const cleared = await h.driver.callAction('updateChatbotSettings', { clearSettings: ['creditLimit'] })
    expect(cleared.status).toBe(200)
    expect(h.chatbase.agent(CHATBOT_ID)?.creditLimit).toBeNull()
  })

  it('refuses what v2 cannot honour, naming the field, before sending anything', async () => {
    const outOfRange = await h.driver.callAction('updateChatbotSettings', { ipLimit: 500 })
    const both = await h.driver.callAction('updateChatbotSettings', {
      creditLimit: 5,
      clearSettings: ['creditLimit'],
    })

    expect(outOfRange.error?.message).toContain('ipLimit: Chatbase API v2 takes 1 to 200')
    expect(both.error?.message).toContain('clearSettings: creditLimit cannot be both set and cleared')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('updates the chat widget and center stage styles, and turns auto-retrain on and off', async () => {
    const styled = await h.driver.callAction('updateAgentStyles', {
      chat: { headerColor: '#38F', displayName: 'Ada' },
      centerStage: { enabled: true, suggestedMessages: ['Track my order'] },
    })
    const on = await h.driver.callAction('setAutoRetrain', { enabled: true })

    expect(styled.output).toEqual({ chatbotId: CHATBOT_ID })
    expect(bodyOf(v2Requests('PUT', `/agents/${CHATBOT_ID}/styles`)[0])).toEqual({
      styles: {
        chat: { headerColor: '#38F', displayName: 'Ada' },
        centerStage: { enabled: true, suggestedMessages: [{ type: 'single', text: 'Track my order', order: 0 }] },
      },
    })
    expect(h.chatbase.agent(CHATBOT_ID)?.styles?.chat).toMatchObject({ headerColor: '#38F', displayName: 'Ada' })
    expect(on.output).toEqual({ chatbotId: CHATBOT_ID, enabled: true })
    expect(h.chatbase.agent(CHATBOT_ID)?.autoRetrain).toBe(true)

    const empty = await h.driver.callAction('updateAgentStyles', { chat: {} })
    expect(empty.error?.message).toContain('give at least one style to change')
  })

  it("says auto-retrain needs the Standard plan when the plan lacks it, and an untrained agent's reason", async () => {
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Fresh' })
    const untrained = await h.driver.callAction('setAutoRetrain', {
      enabled: true,
      chatbotId: created.output?.chatbotId,
    })
    h.chatbase.setPlanAccess('no-auto-retrain')
    const restricted = await h.driver.callAction('setAutoRetrain', { enabled: true })

    expect(untrained.error?.message).toContain('Agent has not been trained yet')
    expect(restricted.error?.message).toContain('Standard plan')
  })

  it('deletes an agent; a 404 after an attempt whose answer was lost counts as done', async () => {
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Doomed' })
    const agentId = created.output?.chatbotId
    h.chatbase.injectFault({ api: 'v2', method: 'DELETE', status: 502, afterHandling: true })
    const deleted = await h.driver.callAction('deleteChatbot', { chatbotId: agentId })

    expect(deleted.output).toEqual({ chatbotId: agentId })
    expect(h.chatbase.agent(agentId)).toBeUndefined()
    expect(v2Requests('DELETE', `/agents/${agentId}`)).toHaveLength(2)
  })
})

describe('the AI agent cards on a plan without API v2', () => {
  it('creates, lists, updates and deletes through v1, and names the plan for the cards only v2 has', async () => {
    h.chatbase.setPlanAccess('no-api')
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Old plan', sourceText: 'Hi.' })
    const refused = await h.driver.callAction('createChatbot', { chatbotName: 'Old plan', model: 'gpt-5-mini' })
    const listed = await h.driver.callAction('listChatbots', {})
    const settings = await h.driver.callAction('updateChatbotSettings', { creditLimit: 5 })
    const agent = await h.driver.callAction('getAgent', {})
    const clone = await h.driver.callAction('cloneAgent', {})

    expect(created.output?.chatbotId).toEqual(expect.any(String))
    expect(refused.error?.message).toContain('model: needs Chatbase API v2')
    expect(listed.output?.chatbots).toEqual(expect.arrayContaining([expect.objectContaining({ id: CHATBOT_ID })]))
    expect(settings.error?.message).toContain('creditLimit: needs Chatbase API v2')
    expect(agent.error?.message).toMatch(
      /^Get Agent needs Chatbase API v2, which comes with the Chatbase Standard plan/
    )
    expect(clone.error?.message).toMatch(/^Clone Agent needs Chatbase API v2/)
    expect(h.chatbase.requests.filter((request) => request.path === '/create-chatbot')).toHaveLength(1)
  })
})
