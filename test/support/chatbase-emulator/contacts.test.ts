// The contact endpoints, with the custom-attribute values and Stripe accounts set on contacts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatbaseEmulator, StoredContact } from './index'
import { CHATBOT, CONTACTS, useEmulator, type Reply } from './self-test'

let emulator: ChatbaseEmulator
const { api, createContacts } = useEmulator((started) => (emulator = started))

describe('contacts', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('POST /chatbots/{chatbotId}/contacts', () => {
    it('creates contacts, filling absent fields with null, [] and {}', async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'))
      const reply = await api('POST', CONTACTS, {
        body: {
          users: [
            { external_id: 'ext-1' },
            { external_id: 'ext-2', name: 'Bo', email: 'bo@example.com', phonenumber: '+1555' },
          ],
        },
      })
      expect(reply.status).toBe(200)
      expect(reply.json.message).toBe('Success')
      const [first, second] = reply.json.data.created
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        external_id: 'ext-1',
        name: null,
        email: null,
        phonenumber: null,
        stripe_accounts: [],
        custom_attributes: {},
        created_at: 1704067200,
        updated_at: 1704067200,
      })
      expect(second).toMatchObject({ external_id: 'ext-2', name: 'Bo', email: 'bo@example.com', phonenumber: '+1555' })
      expect(first.id).not.toBe(second.id)
      expect(emulator.contacts(CHATBOT)).toEqual([first, second])
    })

    it('silently strips unknown top-level fields', async () => {
      const [contact] = await createContacts([{ external_id: 'ext-1', unknown_field: 'x', id: 'mine' }])
      expect(contact).not.toHaveProperty('unknown_field')
      expect(contact?.id).not.toBe('mine')
    })

    it.each([
      ['no users', {}, 'users', 'Required'],
      ['an empty users array', { users: [] }, 'users', 'Array must contain at least 1 element(s)'],
      [
        '1001 users',
        { users: Array.from({ length: 1001 }, (_, i) => ({ external_id: `e${i}` })) },
        'users',
        'Array must contain at most 1000 element(s)',
      ],
      ['a user without external_id', { users: [{ name: 'x' }] }, 'users.0.external_id', 'Required'],
      [
        'a numeric external_id',
        { users: [{ external_id: 7 }] },
        'users.0.external_id',
        'Expected string, received number',
      ],
      [
        'a numeric email',
        { users: [{ external_id: 'e', email: 5 }] },
        'users.0.email',
        'Expected string, received number',
      ],
    ])('answers 400 to %s', async (_case, body, field, message) => {
      const reply = await api('POST', CONTACTS, { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('accepts exactly 1000 users', async () => {
      const users = Array.from({ length: 1000 }, (_, i) => ({ external_id: `e${i}` }))
      expect(await createContacts(users)).toHaveLength(1000)
    })

    it('answers 409 to an email another contact already has, storing nothing', async () => {
      await createContacts([{ external_id: 'a', email: 'taken@example.com' }])
      const reply = await api('POST', CONTACTS, {
        body: {
          users: [
            { external_id: 'b', email: 'free@example.com' },
            { external_id: 'c', email: 'taken@example.com' },
          ],
        },
      })
      expect(reply.status).toBe(409)
      expect(reply.json).toEqual({ message: 'Email already exists' })
      expect(emulator.contacts(CHATBOT).map((contact) => contact.external_id)).toEqual(['a'])
    })

    it('answers 409 to the same email twice in one batch', async () => {
      const reply = await api('POST', CONTACTS, {
        body: {
          users: [
            { external_id: 'a', email: 'same@example.com' },
            { external_id: 'b', email: 'same@example.com' },
          ],
        },
      })
      expect(reply.status).toBe(409)
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('keeps emails unique per chatbot only', async () => {
      emulator.addChatbot('other-bot')
      await createContacts([{ external_id: 'a', email: 'shared@example.com' }])
      const body = { users: [{ external_id: 'a', email: 'shared@example.com' }] }
      const reply = await api('POST', '/chatbots/other-bot/contacts', { body })
      expect(reply.status).toBe(200)
    })

    it('answers 404 for an unknown chatbot', async () => {
      const reply = await api('POST', '/chatbots/no-such-bot/contacts', { body: { users: [{ external_id: 'a' }] } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
    })
  })

  describe('custom attributes', () => {
    beforeEach(() => {
      emulator.addCustomAttribute(CHATBOT, { name: 'company', type: 'text' })
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'is_active', type: 'boolean' })
      emulator.addCustomAttribute(CHATBOT, { name: 'join_date', type: 'date' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
    })

    it('stores known attributes and silently strips unknown ones', async () => {
      const [contact] = await createContacts([
        { external_id: 'a', custom_attributes: { company: 'Acme Inc', age: 30, is_active: false, unknown_attr: 'x' } },
      ])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme Inc', age: 30, is_active: false })
    })

    it('coerces booleans and dates as documented', async () => {
      const [truthy, falsy] = await createContacts([
        { external_id: 'a', custom_attributes: { is_active: 'true', join_date: '2023-01-15' } },
        { external_id: 'b', custom_attributes: { is_active: 0 } },
      ])
      expect(truthy?.custom_attributes).toEqual({ is_active: true, join_date: '2023-01-15T00:00:00.000Z' })
      expect(falsy?.custom_attributes).toEqual({ is_active: false })
    })

    it.each([
      ['a string for a number', { age: 'invalid' }, 'custom_attributes.age', 'Expected number, received string'],
      ['a number for text', { company: 42 }, 'custom_attributes.company', 'Expected string, received number'],
      ['"yes" for a boolean', { is_active: 'yes' }, 'custom_attributes.is_active', 'Expected boolean, received string'],
      ['a non-date for a date', { join_date: 'not a date' }, 'custom_attributes.join_date', 'Invalid date'],
      [
        'an archived attribute',
        { old_field: 'value' },
        'custom_attributes.old_field',
        expect.stringContaining('archived'),
      ],
    ])('answers 400 to %s', async (_case, customAttributes, field, message) => {
      const reply = await api('POST', CONTACTS, {
        body: { users: [{ external_id: 'a', custom_attributes: customAttributes }] },
      })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.contacts(CHATBOT)).toEqual([])
    })

    it('lets an archived attribute be set to null', async () => {
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { old_field: null } }])
      expect(contact?.custom_attributes).toEqual({ old_field: null })
    })

    it('answers 400 when custom_attributes is not an object', async () => {
      const reply = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', custom_attributes: ['x'] }] } })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([
        { field: 'users.0.custom_attributes', message: 'Expected object, received array' },
      ])
    })
  })

  describe('stripe accounts', () => {
    it('accepts a label with stripe_id, stripe_email or both', async () => {
      const accounts = [
        { label: 'Team 1', stripe_id: 'cus_1', stripe_email: 'one@example.com' },
        { label: 'Team 2', stripe_id: 'cus_2' },
        { label: 'Team 3', stripe_email: 'three@example.com' },
      ]
      const [contact] = await createContacts([{ external_id: 'a', stripe_accounts: accounts }])
      expect(contact?.stripe_accounts).toEqual(accounts)
    })

    it.each([
      [
        'neither stripe_id nor stripe_email',
        { label: 'Team' },
        'users.0.stripe_accounts.0',
        'Either stripe_id or stripe_email is required',
      ],
      ['no label', { stripe_id: 'cus_1' }, 'users.0.stripe_accounts.0.label', 'Required'],
    ])('answers 400 to an account with %s', async (_case, account, field, message) => {
      const reply = await api('POST', CONTACTS, { body: { users: [{ external_id: 'a', stripe_accounts: [account] }] } })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([{ field, message }])
    })
  })

  describe('GET /chatbots/{chatbotId}/contacts/{contactId}', () => {
    it('answers the contact', async () => {
      const [contact] = await createContacts([{ external_id: 'a', name: 'Ann' }])
      const reply = await api('GET', `${CONTACTS}/${contact?.id}`)
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ message: 'Success', data: contact })
    })

    it('answers 404 Contact not found for an unknown id, and Chatbot not found for an unknown chatbot', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const unknownContact = await api('GET', `${CONTACTS}/no-such-contact`)
      expect(unknownContact).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      emulator.addChatbot('other-bot')
      const elsewhere = await api('GET', `/chatbots/other-bot/contacts/${contact?.id}`)
      expect(elsewhere).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const unknownBot = await api('GET', `/chatbots/no-such-bot/contacts/${contact?.id}`)
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
    })
  })

  describe('GET /chatbots/{chatbotId}/contacts', () => {
    const list = (query: Record<string, string> = {}) => api('GET', CONTACTS, { query })

    it('answers an empty first page when there are no contacts', async () => {
      const reply = await list()
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({
        message: 'Success',
        data: [],
        total: 0,
        pages: { page: 1, per_page: 100, total_pages: 0 },
      })
    })

    it('pages with per_page and page, in creation order', async () => {
      await createContacts(Array.from({ length: 25 }, (_, i) => ({ external_id: `e${i + 1}` })))
      const ids = (reply: Reply) => reply.json.data.map((contact: StoredContact) => contact.external_id)

      const all = await list()
      expect(all.json.total).toBe(25)
      expect(all.json.pages).toEqual({ page: 1, per_page: 100, total_pages: 1 })
      expect(ids(all)).toHaveLength(25)

      const third = await list({ per_page: '10', page: '3' })
      expect(third.json.pages).toEqual({ page: 3, per_page: 10, total_pages: 3 })
      expect(third.json.total).toBe(25)
      expect(ids(third)).toEqual(['e21', 'e22', 'e23', 'e24', 'e25'])
    })

    it.each([
      [{ per_page: '9' }, 'per_page', 'Number must be greater than or equal to 10'],
      [{ per_page: '1001' }, 'per_page', 'Number must be less than or equal to 1000'],
      [{ page: '0' }, 'page', 'Number must be greater than or equal to 1'],
      [{ page: 'two' }, 'page', "Expected integer, received 'two'"],
    ])('answers 400 to %o', async (query, field, message) => {
      const reply = await list(query)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request parameters', issues: [{ field, message }] })
    })

    it('accepts the per_page bounds 10 and 1000', async () => {
      expect((await list({ per_page: '10' })).status).toBe(200)
      expect((await list({ per_page: '1000' })).status).toBe(200)
    })

    it('answers 400 to a page beyond the last', async () => {
      await createContacts(Array.from({ length: 11 }, (_, i) => ({ external_id: `e${i}` })))
      expect((await list({ per_page: '10', page: '2' })).status).toBe(200)
      const reply = await list({ per_page: '10', page: '3' })
      expect(reply.status).toBe(400)
      expect(reply.json.issues).toEqual([{ field: 'page', message: 'Page number out of range' }])
    })
  })

  describe('PATCH /chatbots/{chatbotId}/contacts/{contactId}', () => {
    const patch = (contactId: string | undefined, body: unknown) => api('PATCH', `${CONTACTS}/${contactId}`, { body })

    it('updates the given fields, merges custom attributes and moves updated_at', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'location', type: 'text' })
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'))
      const [contact] = await createContacts([
        { external_id: 'a', name: 'John Doe', phonenumber: '+1', custom_attributes: { age: 30, location: 'New York' } },
      ])
      vi.setSystemTime(new Date('2024-01-01T00:01:30Z'))

      const reply = await patch(contact?.id, {
        data: { name: 'John Smith', email: 'john@example.com', external_id: 'changed', custom_attributes: { age: 31 } },
      })
      expect(reply.status).toBe(200)
      const expected = {
        ...contact,
        name: 'John Smith',
        email: 'john@example.com',
        custom_attributes: { age: 31, location: 'New York' },
        created_at: 1704067200,
        updated_at: 1704067290,
      }
      expect(reply.json).toEqual({ message: 'Success', data: expected })
      expect(emulator.contacts(CHATBOT)).toEqual([expected])
    })

    it('replaces stripe accounts and validates them', async () => {
      const [contact] = await createContacts([
        { external_id: 'a', stripe_accounts: [{ label: 'Old', stripe_id: 'cus_old' }] },
      ])
      const reply = await patch(contact?.id, {
        data: { stripe_accounts: [{ label: 'New', stripe_email: 'new@example.com' }] },
      })
      expect(reply.json.data.stripe_accounts).toEqual([{ label: 'New', stripe_email: 'new@example.com' }])
      const bad = await patch(contact?.id, { data: { stripe_accounts: [{ label: 'No ids' }] } })
      expect(bad.status).toBe(400)
      expect(bad.json.issues).toEqual([
        { field: 'data.stripe_accounts.0', message: 'Either stripe_id or stripe_email is required' },
      ])
    })

    it.each([
      ['no data', {}, 'Required'],
      ['data as an array', { data: [] }, 'Expected object, received array'],
      ['data as a string', { data: 'name' }, 'Expected object, received string'],
    ])('answers 400 to %s', async (_case, body, message) => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const reply = await patch(contact?.id, body)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field: 'data', message }] })
    })

    it('validates custom attributes like creation does', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { age: 30 } }])
      const wrongType = await patch(contact?.id, { data: { custom_attributes: { age: 'old' } } })
      expect(wrongType.json.issues).toEqual([
        { field: 'custom_attributes.age', message: 'Expected number, received string' },
      ])
      const archived = await patch(contact?.id, { data: { custom_attributes: { old_field: 'x' } } })
      expect(archived.status).toBe(400)
      const unknown = await patch(contact?.id, { data: { custom_attributes: { nope: 1 } } })
      expect(unknown.json.data.custom_attributes).toEqual({ age: 30 })
    })

    it("answers 409 to another contact's email but accepts the contact's own", async () => {
      const [ann, bo] = await createContacts([
        { external_id: 'a', email: 'ann@example.com' },
        { external_id: 'b', email: 'bo@example.com' },
      ])
      const conflict = await patch(bo?.id, { data: { email: 'ann@example.com', name: 'Bo' } })
      expect(conflict).toMatchObject({ status: 409, json: { message: 'Email already exists' } })
      expect(emulator.contacts(CHATBOT)[1]).toMatchObject({ email: 'bo@example.com', name: null })
      expect((await patch(ann?.id, { data: { email: 'ann@example.com' } })).status).toBe(200)
    })

    it('clears name, email and phone number given as null, which creation refuses', async () => {
      const [ann, bo] = await createContacts([
        { external_id: 'a', name: 'Ann', email: 'ann@example.com', phonenumber: '+1' },
        { external_id: 'b', name: 'Bo' },
      ])
      const reply = await patch(ann?.id, { data: { name: null, email: null, phonenumber: null } })
      expect(reply.json.data).toMatchObject({ name: null, email: null, phonenumber: null })
      // a cleared email is no one's: another contact may take it, and clearing never conflicts
      expect((await patch(bo?.id, { data: { email: 'ann@example.com' } })).status).toBe(200)
      expect((await patch(ann?.id, { data: { email: null } })).status).toBe(200)
      const created = await api('POST', CONTACTS, { body: { users: [{ external_id: 'c', name: null }] } })
      expect(created.json.issues).toEqual([{ field: 'users.0.name', message: 'Expected string, received null' }])
    })

    it('answers 404 for an unknown contact', async () => {
      const reply = await patch('no-such-contact', { data: { name: 'x' } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
    })
  })

  describe('DELETE /chatbots/{chatbotId}/contacts/{contactId}', () => {
    it('answers 204 without a body and removes only that contact', async () => {
      const [ann, bo] = await createContacts([{ external_id: 'a' }, { external_id: 'b' }])
      const reply = await api('DELETE', `${CONTACTS}/${ann?.id}`)
      expect(reply.status).toBe(204)
      expect(reply.text).toBe('')
      expect(emulator.contacts(CHATBOT)).toEqual([bo])
      expect(await api('GET', `${CONTACTS}/${ann?.id}`)).toMatchObject({
        status: 404,
        json: { message: 'Contact not found' },
      })
      expect((await api('GET', CONTACTS)).json.total).toBe(1)
    })

    it('frees the email for a new contact', async () => {
      const [ann] = await createContacts([{ external_id: 'a', email: 'ann@example.com' }])
      await api('DELETE', `${CONTACTS}/${ann?.id}`)
      expect(await createContacts([{ external_id: 'b', email: 'ann@example.com' }])).toHaveLength(1)
    })

    it('answers 404 for an unknown contact, a contact of another chatbot and an unknown chatbot', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      emulator.addChatbot('other-bot')
      const unknownContact = await api('DELETE', `${CONTACTS}/no-such-contact`)
      expect(unknownContact).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const elsewhere = await api('DELETE', `/chatbots/other-bot/contacts/${contact?.id}`)
      expect(elsewhere).toMatchObject({ status: 404, json: { message: 'Contact not found' } })
      const unknownBot = await api('DELETE', `/chatbots/no-such-bot/contacts/${contact?.id}`)
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      expect(emulator.contacts(CHATBOT)).toEqual([contact])
    })

    it('answers 401 without the key and deletes nothing', async () => {
      const [contact] = await createContacts([{ external_id: 'a' }])
      const reply = await api('DELETE', `${CONTACTS}/${contact?.id}`, { authorization: null })
      expect(reply).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect(emulator.contacts(CHATBOT)).toHaveLength(1)
    })
  })
})
