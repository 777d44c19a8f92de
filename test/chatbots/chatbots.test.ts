import { beforeEach, describe, expect, it } from 'vitest'
import type { Shapes } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from '../support/harness'

// API v1, which serves these cards on plans without v2 (the v2 side: agents-v2 / conversations-v2 tests).
const h = useHarness({ apiVersion: 'v1' })

describe('chatbots', () => {
  it('creates a chatbot, lists it, updates its data and settings, then deletes it', async () => {
    const created = await h.driver.callAction('createChatbot', {
      chatbotName: 'Support bot',
      sourceText: 'We open at 9.',
    })
    const chatbotId = created.output?.chatbotId
    expect(chatbotId).toEqual(expect.any(String))

    const listed = await h.driver.callAction('listChatbots', {})
    expect(listed.output?.chatbots).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: chatbotId, name: 'Support bot' })])
    )

    await h.driver.callAction('updateChatbotData', { chatbotId, chatbotName: 'Help bot' })
    const settings = await h.driver.callAction('updateChatbotSettings', {
      chatbotId,
      temperature: 0.4,
      visibility: 'public',
      styles: { theme: 'dark', buttonColor: '#3B81F7' },
    })
    expect(settings.output).toEqual({ chatbotId })
    expect(h.chatbase.chatbot(chatbotId)).toMatchObject({
      name: 'Help bot',
      temp: 0.4,
      visibility: 'public',
      styles: { theme: 'dark', buttonColor: '#3B81F7' },
    })

    const deleted = await h.driver.callAction('deleteChatbot', { chatbotId })
    expect(deleted.output).toEqual({ chatbotId })
    expect(h.chatbase.chatbot(chatbotId)).toBeUndefined()
  })

  it('creates a chatbot from web pages to scrape, sent as the docs example sends them', async () => {
    const urlsToScrape = ['https://www.chatbase.co/docs/chat', 'https://www.chatbase.co/docs/create-chatbot']
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Chatbase', urlsToScrape })
    const refused = await h.driver.callAction('createChatbot', {
      chatbotName: 'Chatbase',
      urlsToScrape: ['ftp://example.com/faq'],
    })

    expect(JSON.parse(h.chatbase.requests[0]?.body ?? '{}')).toEqual({ chatbotName: 'Chatbase', urlsToScrape })
    expect(h.chatbase.chatbot(created.output?.chatbotId)?.urlsToScrape).toEqual(urlsToScrape)
    expect(refused.error?.message).toBe(
      'Invalid input for Create Agent: urlsToScrape.0: must be an http:// or https:// URL'
    )
    expect(h.chatbase.requests).toHaveLength(1)
  })

  it('never deletes the configured chatbot by default', async () => {
    const result = await h.driver.callAction('deleteChatbot', {})

    expect(result.error?.message).toContain('chatbotId: Required')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('updates the settings of the configured chatbot, checking colours before sending', async () => {
    const bad = await h.driver.callAction('updateChatbotSettings', { styles: { buttonColor: 'blue' } })
    const good = await h.driver.callAction('updateChatbotSettings', { instructions: 'Be brief.' })

    expect(bad.error?.message).toContain('styles.buttonColor: must be a hex colour')
    expect(good.output).toEqual({ chatbotId: CHATBOT_ID })
    expect(h.chatbase.chatbot(CHATBOT_ID)?.instructions).toBe('Be brief.')
  })
})

/*
 * Listing the chatbots and updating their settings work whichever Chatbase sends: the docs' examples, or the shapes
 * clients saw from the live API.
 */
describe.each<Shapes>(['documented', 'live'])('Chatbase answering in the %s shapes', (shapes) => {
  beforeEach(() => h.chatbase.setShapes(shapes))

  it('lists the chatbots with their documented parameters, and keeps every other one', async () => {
    const result = await h.driver.callAction('listChatbots', {})
    const listed = result.output?.chatbots.find((chatbot: { id: string }) => chatbot.id === CHATBOT_ID)

    expect(listed).toMatchObject({
      id: CHATBOT_ID,
      name: CHATBOT_ID,
      model: 'gpt-4o-mini',
      visibility: 'private',
      instructions: '',
    })
    const ipLimit = shapes === 'live' ? 'ip_limit' : 'ipLimit'
    expect(listed.settings).toMatchObject({ [ipLimit]: 20, styles: { theme: 'light' } })
    expect(Object.keys(listed.settings)).not.toContain('model')
  })

  it("updates the settings, whatever the 202's body", async () => {
    const result = await h.driver.callAction('updateChatbotSettings', { instructions: 'Be brief.' })

    expect(result.output).toEqual({ chatbotId: CHATBOT_ID })
    expect(h.chatbase.chatbot(CHATBOT_ID)?.instructions).toBe('Be brief.')
  })
})
