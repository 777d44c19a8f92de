import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

beforeEach(() => {
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'plan', type: 'text' })
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'age', type: 'number' })
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'legacy', type: 'text', archived: true })
})

const createAda = () =>
  h.driver.callAction('createContact', {
    externalId: 'user-ada',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phoneNumber: '+14155550100',
    customAttributes: { plan: 'pro', age: 36, unknownAttribute: 'stripped by Chatbase' },
    stripeAccounts: [{ label: 'Main', stripeId: 'cus_123' }],
  })

describe('createContact', () => {
  it('creates the contact in Chatbase and answers it in camelCase', async () => {
    const result = await createAda()

    expect(result.status).toBe(200)
    const contact = result.output?.contact
    expect(contact).toMatchObject({
      externalId: 'user-ada',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phoneNumber: '+14155550100',
      customAttributes: { plan: 'pro', age: 36 },
      stripeAccounts: [{ label: 'Main', stripeId: 'cus_123' }],
    })
    expect(contact.id).toEqual(expect.any(String))
    expect(new Date(contact.createdAt).getTime()).not.toBeNaN()

    const [stored] = h.chatbase.contacts(CHATBOT_ID)
    expect(stored).toMatchObject({ id: contact.id, external_id: 'user-ada', phonenumber: '+14155550100' })
    const [request] = h.chatbase.requests
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe(`/chatbots/${CHATBOT_ID}/contacts`)
    expect(request?.headers.authorization).toBe(`Bearer ${h.chatbase.apiKey}`)
    expect(JSON.parse(request?.body ?? '{}').users).toHaveLength(1)
  })

  it('refuses invalid input before any request, naming the fields', async () => {
    const result = await h.driver.callAction('createContact', { name: 'No Id', email: 'not-an-email' })

    expect(result.status).toBe(400)
    expect(result.error?.type).toBe('Runtime')
    expect(result.error?.message).toContain('Invalid input for Create Contact')
    expect(result.error?.message).toContain('externalId: Required')
    expect(result.error?.message).toContain('email: Invalid email')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('refuses a Stripe account with neither customer id nor email, before any request', async () => {
    const result = await h.driver.callAction('createContact', { externalId: 'u1', stripeAccounts: [{ label: 'Main' }] })

    expect(result.error?.message).toContain('stripeAccounts.0: needs stripeId or stripeEmail')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('says the email is taken when Chatbase answers 409, and creates nothing', async () => {
    await createAda()
    const result = await h.driver.callAction('createContact', { externalId: 'user-2', email: 'ada@example.com' })

    expect(result.status).toBe(400)
    expect(result.error?.message).toMatch(/409.*Email already exists.*already uses that email/)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(1)
  })

  it("lists Chatbase's validation issues under the Studio field names", async () => {
    const result = await h.driver.callAction('createContact', { externalId: 'u1', customAttributes: { age: 'old' } })

    expect(result.error?.message).toMatch(
      /Chatbase rejected the request \(400\): Invalid request body \(customAttributes\.age: /
    )
  })

  it('reports an archived custom attribute as Chatbase does', async () => {
    const result = await h.driver.callAction('createContact', { externalId: 'u1', customAttributes: { legacy: 'x' } })

    expect(result.error?.message).toContain('customAttributes.legacy')
  })
})

describe('updateContact', () => {
  it('changes only the given fields', async () => {
    const created = (await createAda()).output?.contact
    const result = await h.driver.callAction('updateContact', {
      contactId: created.id,
      name: 'Ada King',
      customAttributes: { plan: 'enterprise' },
    })

    expect(result.status).toBe(200)
    expect(result.output?.contact).toMatchObject({
      id: created.id,
      name: 'Ada King',
      email: 'ada@example.com',
      customAttributes: { plan: 'enterprise', age: 36 },
    })
    const patch = h.chatbase.requests.find((request) => request.method === 'PATCH')
    expect(patch?.path).toBe(`/chatbots/${CHATBOT_ID}/contacts/${created.id}`)
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({
      data: { name: 'Ada King', custom_attributes: { plan: 'enterprise' } },
    })
  })

  it('asks for at least one field to change, before any request', async () => {
    const result = await h.driver.callAction('updateContact', { contactId: 'c-1', name: '' })

    expect(result.error?.message).toContain('give at least one field to change')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('names the contact Chatbase could not find', async () => {
    const result = await h.driver.callAction('updateContact', { contactId: 'no-such-contact', name: 'X' })

    expect(result.status).toBe(400)
    expect(result.error?.message).toContain(
      `Could not update the contact. Chatbase found no contact "no-such-contact" of chatbot "${CHATBOT_ID}" (404)`
    )
  })

  it('says the email is taken by another contact', async () => {
    await createAda()
    const other = (await h.driver.callAction('createContact', { externalId: 'user-2', email: 'grace@example.com' }))
      .output?.contact
    const result = await h.driver.callAction('updateContact', { contactId: other.id, email: 'ada@example.com' })

    expect(result.error?.message).toContain('already uses that email')
  })
})

describe('contacts', () => {
  const otherChatbotId = 'second-chatbot'
  beforeEach(() => h.chatbase.addChatbot(otherChatbotId))

  const create = async (externalId: string, extra: Record<string, unknown> = {}) =>
    (await h.driver.callAction('createContact', { externalId, ...extra })).output?.contact

  it('gets a contact by id, in camelCase', async () => {
    const created = await create('u-1', { name: 'Ada', customAttributes: { plan: 'pro' } })
    const result = await h.driver.callAction('getContact', { contactId: created.id })

    expect(result.output?.contact).toEqual(created)
    expect(h.chatbase.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/chatbots/${CHATBOT_ID}/contacts/${created.id}`,
    })
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
    const result = await h.driver.callAction('createContact', { externalId: 'elsewhere', chatbotId: otherChatbotId })

    expect(result.status).toBe(200)
    expect(h.chatbase.contacts(otherChatbotId)).toHaveLength(1)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(0)
  })
})

describe('Update Contact clearing fields', () => {
  const createContact = async () =>
    (
      await h.driver.callAction('createContact', {
        externalId: 'u-clear',
        name: 'Ada',
        email: 'ada@example.com',
        phoneNumber: '+1555',
      })
    ).output?.contact

  it('sends null for the fields to clear, and the contact loses them', async () => {
    const contact = await createContact()
    const result = await h.driver.callAction('updateContact', {
      contactId: contact.id,
      clearFields: ['email', 'phoneNumber'],
      name: 'Ada King',
    })

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
    const both = await h.driver.callAction('updateContact', {
      contactId: 'c-1',
      email: 'new@example.com',
      clearFields: ['email'],
    })
    const unknown = await h.driver.callAction('updateContact', { contactId: 'c-1', clearFields: ['customAttributes'] })
    const none = await h.driver.callAction('updateContact', { contactId: 'c-1', clearFields: [] })

    expect(both.error?.message).toBe(
      'Invalid input for Update Contact: clearFields: email is also given a value; set it or clear it'
    )
    expect(unknown.error?.message).toContain(
      "Invalid input for Update Contact: clearFields.0: Invalid enum value. Expected 'name' | 'email' | 'phoneNumber'"
    )
    expect(none.error?.message).toContain('give at least one field to change')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})

describe('paged reads with a limit', () => {
  const contactsPage = (contacts: unknown[], totalPages: number) =>
    JSON.stringify({
      message: 'Success',
      data: contacts,
      total: 10_000,
      pages: { page: 1, per_page: 10, total_pages: totalPages },
    })
  const contact = { id: 'c-1', external_id: 'u-1' }

  const path = `/chatbots/${CHATBOT_ID}/contacts`

  it('reads a page without total or pages, and contact fields of odd types, for what they hold', async () => {
    const odd = { id: 'c-odd', external_id: 'u-odd', name: 42, email: ['x'], custom_attributes: { tags: ['a', 'b'] } }
    h.chatbase.injectFault({ method: 'GET', path, status: 200, body: JSON.stringify({ data: [odd] }) })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 100 })

    expect(result.status).toBe(200)
    expect(result.output).toMatchObject({ total: 1, hasMore: false })
    expect(result.output?.contacts).toEqual([
      expect.objectContaining({ id: 'c-odd', name: '42', customAttributes: { tags: '["a","b"]' } }),
    ])
    expect(result.output?.contacts[0].email).toBeUndefined()
    expect(h.chatbase.requests).toHaveLength(1)
  })

  it('reads on past a page without pages while its total says more follow, until an empty page', async () => {
    const page = (count: number) => JSON.stringify({ data: Array(count).fill(contact), total: 3 })
    h.chatbase.injectFault({ method: 'GET', path, status: 200, body: page(2) })
    h.chatbase.injectFault({ method: 'GET', path, status: 200, body: page(0) })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 100 })

    expect(result.output).toMatchObject({ total: 3, hasMore: false })
    expect(result.output?.contacts).toHaveLength(2)
    expect(h.chatbase.requests).toHaveLength(2)
  })

  it('reads on past a full page that says nothing of what follows', async () => {
    const page = (count: number) => JSON.stringify({ data: Array(count).fill(contact) })
    h.chatbase.injectFault({ method: 'GET', path, status: 200, body: page(10) })
    h.chatbase.injectFault({ method: 'GET', path, status: 200, body: page(4) })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 100 })

    expect(result.output).toMatchObject({ hasMore: false })
    expect(result.output?.contacts).toHaveLength(14)
    expect(h.chatbase.requests).toHaveLength(2)
  })

  it('stops at an empty page', async () => {
    h.chatbase.injectFault({
      method: 'GET',
      path: `/chatbots/${CHATBOT_ID}/contacts`,
      status: 200,
      body: contactsPage([], 50),
      times: 10,
    })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 1_000 })

    expect(result.output).toMatchObject({ contacts: [], hasMore: false })
    expect(h.chatbase.requests).toHaveLength(1)
  })

  it('sends no more than ⌈limit / page size⌉ + 1 requests when pages keep coming back short', async () => {
    h.chatbase.injectFault({
      method: 'GET',
      path: `/chatbots/${CHATBOT_ID}/contacts`,
      status: 200,
      body: contactsPage([contact], 1_000),
      times: 100,
    })
    const result = await h.driver.callAction('listContacts', { perPage: 10, limit: 95 })

    expect(h.chatbase.requests.map((request) => request.query.page)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
    ])
    expect(result.output).toMatchObject({ hasMore: true, nextPage: 12 })
  })
})
