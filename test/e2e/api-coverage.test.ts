import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const OTHER_BOT = 'second-chatbot'

beforeEach(() => {
  h.chatbase.addChatbot(OTHER_BOT)
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'plan', type: 'text' })
})

const create = async (externalId: string, extra: Record<string, unknown> = {}) =>
  (await h.driver.callAction('createContact', { externalId, ...extra })).output?.contact

describe('contacts', () => {
  it('gets a contact by id, in camelCase', async () => {
    const created = await create('u-1', { name: 'Ada', customAttributes: { plan: 'pro' } })
    const result = await h.driver.callAction('getContact', { contactId: created.id })

    expect(result.output?.contact).toEqual(created)
    expect(h.chatbase.requests.at(-1)).toMatchObject({ method: 'GET', path: `/chatbots/${CHATBOT_ID}/contacts/${created.id}` })
  })

  it('names the contact it could not get', async () => {
    const result = await h.driver.callAction('getContact', { contactId: 'ghost' })

    expect(result.error?.message).toContain(`Chatbase found no contact "ghost" of chatbot "${CHATBOT_ID}" (404)`)
  })

  it('lists one page, with the total and where to continue', async () => {
    for (let index = 0; index < 25; index++) await create(`u-${index}`)
    const result = await h.driver.callAction('listContacts', { perPage: 10 })

    expect(result.output).toMatchObject({ total: 25, perPage: 10, page: 1, hasMore: true, nextPage: 2 })
    expect(result.output?.contacts).toHaveLength(10)
    expect(result.output?.contacts[0].externalId).toBe('u-0')
  })

  it('lists every page up to a limit', async () => {
    for (let index = 0; index < 25; index++) await create(`u-${index}`)
    h.chatbase.requests.length = 0
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 1_000 })

    expect(result.output?.contacts.map((contact: { externalId: string }) => contact.externalId)).toEqual(
      Array.from({ length: 25 }, (_, index) => `u-${index}`)
    )
    expect(result.output).toMatchObject({ hasMore: false })
    expect(h.chatbase.requests.map((request) => request.query.page)).toEqual(['1', '2', '3'])
  })

  it('deletes a contact, and names the one it cannot find', async () => {
    const created = await create('u-del')
    const deleted = await h.driver.callAction('deleteContact', { contactId: created.id })
    const again = await h.driver.callAction('deleteContact', { contactId: created.id })

    expect(deleted.output).toEqual({ deletedContactId: created.id })
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(0)
    expect(again.error?.message).toContain(`contact "${created.id}"`)
  })

  it('works on another chatbot when the action names one', async () => {
    const result = await h.driver.callAction('createContact', { externalId: 'elsewhere', chatbotId: OTHER_BOT })

    expect(result.status).toBe(200)
    expect(h.chatbase.contacts(OTHER_BOT)).toHaveLength(1)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(0)
  })
})

describe('custom attributes', () => {
  it('creates, lists and archives attributes', async () => {
    const created = await h.driver.callAction('createCustomAttribute', { name: 'signup_date', type: 'date', label: 'Signup date' })
    const archived = await h.driver.callAction('updateCustomAttribute', { name: 'signup_date', archived: true })
    const listed = await h.driver.callAction('listCustomAttributes', {})

    expect(created.output?.attribute).toMatchObject({ name: 'signup_date', type: 'date', label: 'Signup date', archived: false })
    expect(archived.output?.attribute).toMatchObject({ name: 'signup_date', archived: true })
    expect(listed.output?.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(['plan', 'signup_date'])
  })

  it('checks the name rules before sending', async () => {
    const result = await h.driver.callAction('createCustomAttribute', { name: 'Signup Date', type: 'date', label: 'x' })

    expect(result.error?.message).toContain('name: must start with a lower-case letter')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('asks for something to change', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'plan' })

    expect(result.error?.message).toContain('give at least one field to change')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('conversations', () => {
  it('reads conversations filtered by source and date, with their messages', async () => {
    h.chatbase.addConversation(CHATBOT_ID, {
      id: 'widget-1',
      source: 'Widget or Iframe',
      createdAt: '2025-03-02T10:00:00Z',
      messages: [{ role: 'user', content: 'Hi from the widget' }],
    })
    h.chatbase.addConversation(CHATBOT_ID, { id: 'wa-1', source: 'WhatsApp', createdAt: '2025-03-03T10:00:00Z', messages: [] })
    const result = await h.driver.callAction('getConversations', {
      filteredSources: ['Widget or Iframe', 'API'],
      startDate: '2025-03-01',
      endDate: '2025-03-31',
    })

    expect(result.output?.conversations).toEqual([
      expect.objectContaining({ id: 'widget-1', source: 'Widget or Iframe', chatbotId: CHATBOT_ID, messages: [{ role: 'user', content: 'Hi from the widget' }] }),
    ])
    expect(h.chatbase.requests[0]?.query).toMatchObject({ filteredSources: 'Widget or Iframe,API', size: '10' })
  })

  it('refuses an unknown source and a page size over 100, naming them', async () => {
    const result = await h.driver.callAction('getConversations', { filteredSources: ['Telegram'], size: 500 })

    expect(result.error?.message).toContain('filteredSources.0')
    expect(result.error?.message).toContain('size: Number must be less than or equal to 100')
  })
})

describe('chatbots', () => {
  it('creates a chatbot, lists it, updates its data and settings, then deletes it', async () => {
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Support bot', sourceText: 'We open at 9.' })
    const chatbotId = created.output?.chatbotId
    expect(chatbotId).toEqual(expect.any(String))

    const listed = await h.driver.callAction('listChatbots', {})
    expect(listed.output?.chatbots).toEqual(expect.arrayContaining([expect.objectContaining({ id: chatbotId, name: 'Support bot' })]))

    await h.driver.callAction('updateChatbotData', { chatbotId, chatbotName: 'Help bot' })
    const settings = await h.driver.callAction('updateChatbotSettings', {
      chatbotId,
      temperature: 0.4,
      visibility: 'public',
      styles: { theme: 'dark', buttonColor: '#3B81F7' },
    })
    expect(settings.output).toEqual({ chatbotId })
    expect(h.chatbase.chatbot(chatbotId)).toMatchObject({ name: 'Help bot', temp: 0.4, visibility: 'public', styles: { theme: 'dark', buttonColor: '#3B81F7' } })

    const deleted = await h.driver.callAction('deleteChatbot', { chatbotId })
    expect(deleted.output).toEqual({ chatbotId })
    expect(h.chatbase.chatbot(chatbotId)).toBeUndefined()
  })

  it('creates a chatbot from web pages to scrape, sent as the docs example sends them', async () => {
    const urlsToScrape = ['https://www.chatbase.co/docs/chat', 'https://www.chatbase.co/docs/create-chatbot']
    const created = await h.driver.callAction('createChatbot', { chatbotName: 'Chatbase', urlsToScrape })
    const refused = await h.driver.callAction('createChatbot', { chatbotName: 'Chatbase', urlsToScrape: ['ftp://example.com/faq'] })

    expect(JSON.parse(h.chatbase.requests[0]?.body ?? '{}')).toEqual({ chatbotName: 'Chatbase', urlsToScrape })
    expect(h.chatbase.chatbot(created.output?.chatbotId)?.urlsToScrape).toEqual(urlsToScrape)
    expect(refused.error?.message).toBe('Invalid input for Create Chatbot: urlsToScrape.0: must be an http:// or https:// URL')
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
