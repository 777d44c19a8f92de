import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

/* What the integration sends: only where it should, only what the input says. */

const h = useHarness()

const SAFE_ID_RULE = 'must not be "." or ".." nor contain "/" or "\\": it goes into the request\'s URL path'

describe('ids that build a URL path', () => {
  it.each([
    ['getContact', 'Get Contact', { contactId: '..' }, 'contactId'],
    ['deleteContact', 'Delete Contact', { contactId: '.' }, 'contactId'],
    ['updateContact', 'Update Contact', { contactId: 'a/../../b', name: 'X' }, 'contactId'],
    ['updateCustomAttribute', 'Update Custom Attribute', { name: '..\\plan', archived: true }, 'name'],
    ['deleteChatbot', 'Delete Chatbot', { chatbotId: '..' }, 'chatbotId'],
    ['listContacts', 'List Contacts', { chatbotId: 'other/contacts' }, 'chatbotId'],
  ])('%s refuses %j before any request, naming the field', async (action, title, input, field) => {
    const result = await h.driver.callAction(action, input)

    expect(result.error?.message).toBe(`Invalid input for ${title}: ${field}: ${SAFE_ID_RULE}`)
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('takes ids with dots that name no other path, encoded as one segment', async () => {
    const result = await h.driver.callAction('getContact', { contactId: '...a.b' })

    expect(result.error?.message).toContain('Chatbase found no contact "...a.b"')
    expect(h.chatbase.requests.map((request) => request.path)).toEqual([`/chatbots/${CHATBOT_ID}/contacts/...a.b`])
  })

  it('refuses a configured chatbot id that would leave its path, at installation and in every card', async () => {
    const misconfigured = h.driver.withConfiguration({ ...h.configuration, chatbotId: '../get-chatbots' })
    const installed = await misconfigured.register(h.botpress.webhookUrl(h.driver.installation.webhookId))
    const listed = await misconfigured.callAction('listContacts', {})

    const expected = `Invalid configuration: chatbotId: ${SAFE_ID_RULE}. Fix it in the integration's configuration.`
    expect(installed.status).toBe(400)
    expect(JSON.parse(installed.body).message).toBe(expected)
    expect(listed.error?.message).toBe(expected)
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('Update Custom Attribute', () => {
  beforeEach(() => h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'legacy', type: 'text', label: 'Legacy', archived: true }))

  const sent = () => h.chatbase.requests.map(({ method, path, body }) => ({ method, path, body: body === '' ? undefined : JSON.parse(body) }))

  it('keeps an archived attribute archived when only its label changes, sending its current state', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'legacy', label: 'Old plan' })

    expect(result.output?.attribute).toMatchObject({ name: 'legacy', label: 'Old plan', archived: true })
    expect(sent()).toEqual([
      { method: 'GET', path: `/chatbots/${CHATBOT_ID}/custom-attributes`, body: undefined },
      { method: 'PUT', path: `/chatbots/${CHATBOT_ID}/custom-attributes/legacy`, body: { label: 'Old plan', archived: true } },
    ])
  })

  it('sends the archived state it is given without reading the current one', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'legacy', archived: false, description: 'Back in use' })

    expect(result.output?.attribute).toMatchObject({ archived: false, description: 'Back in use' })
    expect(sent()).toEqual([
      { method: 'PUT', path: `/chatbots/${CHATBOT_ID}/custom-attributes/legacy`, body: { description: 'Back in use', archived: false } },
    ])
  })

  it('names an attribute the chatbot does not have, and changes nothing', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'ghost', label: 'Ghost' })

    expect(result.error?.message).toBe(`Could not update the custom attribute "ghost". Chatbase found no custom attribute "ghost" of chatbot "${CHATBOT_ID}" (404).`)
    expect(sent().map((request) => request.method)).toEqual(['GET'])
  })
})

describe('query parameters', () => {
  it('sends no filteredSources for an empty source list, so nothing is filtered', async () => {
    h.chatbase.addConversation(CHATBOT_ID, { id: 'any', messages: [] })
    const result = await h.driver.callAction('getConversations', { filteredSources: [] })

    expect(result.output?.conversations).toHaveLength(1)
    expect(h.chatbase.requests[0]?.query).not.toHaveProperty('filteredSources')
  })

  it('reads leads in pages of any size, as the docs set no maximum', async () => {
    for (let index = 0; index < 150; index++) h.chatbase.addLead(CHATBOT_ID, { name: `Lead ${index}` })
    const result = await h.driver.callAction('getLeads', { size: 500 })

    expect(result.output).toMatchObject({ size: 500, hasMore: false })
    expect(result.output?.leads).toHaveLength(150)
    expect(h.chatbase.requests.map((request) => request.query.size)).toEqual(['500'])
  })
})

describe('Update Contact clearing fields', () => {
  const createContact = async () =>
    (await h.driver.callAction('createContact', { externalId: 'u-clear', name: 'Ada', email: 'ada@example.com', phoneNumber: '+1555' })).output
      ?.contact

  it('sends null for the fields to clear, and the contact loses them', async () => {
    const contact = await createContact()
    const result = await h.driver.callAction('updateContact', { contactId: contact.id, clearFields: ['email', 'phoneNumber'], name: 'Ada King' })

    expect(result.output?.contact).toMatchObject({ id: contact.id, name: 'Ada King' })
    expect(result.output?.contact).not.toHaveProperty('email')
    expect(result.output?.contact).not.toHaveProperty('phoneNumber')
    const patch = h.chatbase.requests.find((request) => request.method === 'PATCH')
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({ data: { name: 'Ada King', email: null, phonenumber: null } })
    expect(h.chatbase.contacts(CHATBOT_ID)[0]).toMatchObject({ name: 'Ada King', email: null, phonenumber: null })
  })

  it('counts a clear alone as a change', async () => {
    const contact = await createContact()
    const result = await h.driver.callAction('updateContact', { contactId: contact.id, clearFields: ['name'] })

    expect(result.status).toBe(200)
    expect(h.chatbase.contacts(CHATBOT_ID)[0]?.name).toBeNull()
  })

  it('refuses a field both set and cleared, and an unknown field to clear, before any request', async () => {
    const both = await h.driver.callAction('updateContact', { contactId: 'c-1', email: 'new@example.com', clearFields: ['email'] })
    const unknown = await h.driver.callAction('updateContact', { contactId: 'c-1', clearFields: ['customAttributes'] })
    const none = await h.driver.callAction('updateContact', { contactId: 'c-1', clearFields: [] })

    expect(both.error?.message).toBe('Invalid input for Update Contact: clearFields: email is also given a value; set it or clear it')
    expect(unknown.error?.message).toContain("Invalid input for Update Contact: clearFields.0: Invalid enum value. Expected 'name' | 'email' | 'phoneNumber'")
    expect(none.error?.message).toContain('give at least one field to change')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('paged reads with a limit', () => {
  const contactsPage = (contacts: unknown[], totalPages: number) =>
    JSON.stringify({ message: 'Success', data: contacts, total: 10_000, pages: { page: 1, per_page: 10, total_pages: totalPages } })
  const contact = { id: 'c-1', external_id: 'u-1' }

  it('stops at an empty page', async () => {
    h.chatbase.injectFault({ method: 'GET', path: `/chatbots/${CHATBOT_ID}/contacts`, status: 200, body: contactsPage([], 50), times: 10 })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 1_000 })

    expect(result.output).toMatchObject({ contacts: [], hasMore: false })
    expect(h.chatbase.requests).toHaveLength(1)
  })

  it('sends no more than ⌈limit / page size⌉ + 1 requests when pages keep coming back short', async () => {
    h.chatbase.injectFault({ method: 'GET', path: `/chatbots/${CHATBOT_ID}/contacts`, status: 200, body: contactsPage([contact], 1_000), times: 100 })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 95 })

    expect(h.chatbase.requests.map((request) => request.query.page)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'])
    expect(result.output).toMatchObject({ hasMore: true, nextPage: 12 })
  })
})
