import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from '../support/harness'

/*
 * The same scenarios against both readings of the answers the docs leave vague: the docs' examples, and the shapes
 * clients run against the live API saw. Each card must work whichever one Chatbase sends.
 */

const h = useHarness()

describe.each<Shapes>(['documented', 'live'])('Chatbase answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('installs: register checks the key and chatbot by the status alone', async () => {
    const answer = await h.driver.register(h.botpress.webhookUrl(h.driver.installation.webhookId))

    expect(answer.status).toBe(200)
    expect(h.chatbase.requests).toMatchObject([{ method: 'GET', path: '/get-leads', query: { chatbotId: CHATBOT_ID, size: '1' } }])
  })

  it('gets the leads', async () => {
    const lead = h.chatbase.addLead(CHATBOT_ID, { name: 'Ada', email: 'ada@example.com', phone: null })
    const result = await h.driver.callAction('getLeads', {})

    expect(result.output?.leads).toEqual([{ id: String(lead.id), name: 'Ada', email: 'ada@example.com', chatbotId: CHATBOT_ID, createdAt: lead.created_at }])
  })

  it('lists the chatbots with their documented parameters, and keeps every other one', async () => {
    const result = await h.driver.callAction('listChatbots', {})
    const listed = result.output?.chatbots.find((chatbot: { id: string }) => chatbot.id === CHATBOT_ID)

    expect(listed).toMatchObject({ id: CHATBOT_ID, name: CHATBOT_ID, model: 'gpt-4o-mini', visibility: 'private', instructions: '' })
    const ipLimit = shapes === 'live' ? 'ip_limit' : 'ipLimit'
    expect(listed.settings).toMatchObject({ [ipLimit]: 20, styles: { theme: 'light' } })
    expect(Object.keys(listed.settings)).not.toContain('model')
  })

  it('gets conversations whatever their roles, extra fields or missing chatbot id', async () => {
    h.chatbase.addConversation(CHATBOT_ID, {
      id: 'handed-over',
      messages: [
        { role: 'user', content: 'I want a person' },
        { role: 'human_agent', content: 'Hello, I am Grace' },
      ],
    })
    const result = await h.driver.callAction('getConversations', {})

    expect(result.output?.conversations).toEqual([
      expect.objectContaining({
        id: 'handed-over',
        chatbotId: CHATBOT_ID,
        messages: [
          { role: 'user', content: 'I want a person' },
          { role: 'human_agent', content: 'Hello, I am Grace' },
        ],
      }),
    ])
  })

  it("updates the settings, whatever the 202's body", async () => {
    const result = await h.driver.callAction('updateChatbotSettings', { instructions: 'Be brief.' })

    expect(result.output).toEqual({ chatbotId: CHATBOT_ID })
    expect(h.chatbase.chatbot(CHATBOT_ID)?.instructions).toBe('Be brief.')
  })
})
