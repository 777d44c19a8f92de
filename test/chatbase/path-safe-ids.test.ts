import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

/* Every endpoint built from an id: the id can never make the request reach another path. */

const h = useHarness()

const SAFE_ID_RULE = 'must not be "." or ".." nor contain "/" or "\\": it goes into the request\'s URL path'

describe('ids that build a URL path', () => {
  it.each([
    ['getContact', 'Get Contact', { contactId: '..' }, 'contactId'],
    ['deleteContact', 'Delete Contact', { contactId: '.' }, 'contactId'],
    ['updateContact', 'Update Contact', { contactId: 'a/../../b', name: 'X' }, 'contactId'],
    ['updateCustomAttribute', 'Update Custom Attribute', { name: '..\\plan', archived: true }, 'name'],
    ['deleteChatbot', 'Delete Agent', { chatbotId: '..' }, 'chatbotId'],
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
