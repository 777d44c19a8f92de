// The custom-attribute endpoints and addCustomAttribute.
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from './index'
import { CHATBOT, CONTACTS, useEmulator } from './self-test'

let emulator: ChatbaseEmulator
const { api, createContacts } = useEmulator((started) => (emulator = started))

describe('custom attributes endpoints', () => {
  const ATTRIBUTES = `/chatbots/${CHATBOT}/custom-attributes`
  const company = { name: 'company', type: 'text', label: 'Company Name', description: "User's company name" }
  const create = (body: unknown) => api('POST', ATTRIBUTES, { body })
  const update = (name: string, body: unknown) => api('PUT', `${ATTRIBUTES}/${name}`, { body })
  const listed = async () => (await api('GET', ATTRIBUTES)).json.data

  describe('GET /chatbots/{chatbotId}/custom-attributes', () => {
    it('answers an empty list, then the attributes in creation order, with addCustomAttribute ones', async () => {
      expect(await api('GET', ATTRIBUTES)).toMatchObject({ status: 200, json: { message: 'Success', data: [] } })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      emulator.addCustomAttribute(CHATBOT, { name: 'age', type: 'number', label: 'Age' })
      emulator.addCustomAttribute(CHATBOT, { name: 'old_field', type: 'text', archived: true })
      const reply = await api('GET', ATTRIBUTES)
      expect(reply.json).toEqual({
        message: 'Success',
        data: [
          { name: 'plan', type: 'text', label: 'plan', archived: false },
          { name: 'age', type: 'number', label: 'Age', archived: false },
          { name: 'old_field', type: 'text', label: 'old_field', archived: true },
        ],
      })
    })

    it('keeps attributes per chatbot', async () => {
      emulator.addChatbot('other-bot')
      emulator.addCustomAttribute('other-bot', { name: 'plan', type: 'text' })
      expect(await listed()).toEqual([])
    })
  })

  describe('POST /chatbots/{chatbotId}/custom-attributes', () => {
    it('creates the attribute as documented, lists it and lets contacts use it', async () => {
      const reply = await create(company)
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ message: 'Success', data: { ...company, archived: false } })
      expect(await listed()).toEqual([{ ...company, archived: false }])
      const [contact] = await createContacts([{ external_id: 'a', custom_attributes: { company: 'Acme Inc' } }])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme Inc' })
    })

    it('leaves description out when none is given, and takes every documented type', async () => {
      for (const type of ['text', 'number', 'boolean', 'date']) {
        const reply = await create({ name: `field_${type}`, type, label: type })
        expect(reply.json.data).toEqual({ name: `field_${type}`, type, label: type, archived: false })
      }
      const [contact] = await createContacts([
        { external_id: 'a', custom_attributes: { field_number: 3, field_boolean: 'true' } },
      ])
      expect(contact?.custom_attributes).toEqual({ field_number: 3, field_boolean: true })
    })

    it.each(['a', 'plan_2', 'x_1_y', 'trailing_'])('accepts the name %s', async (name) => {
      expect((await create({ name, type: 'text', label: 'L' })).status).toBe(200)
    })

    const nameFormat =
      'Invalid field name format: only lowercase letters, numbers and underscores, starting with a letter'
    it.each([
      ['no name', { name: undefined }, 'name', 'Required'],
      ['a numeric name', { name: 5 }, 'name', 'Expected string, received number'],
      ['an upper-case letter', { name: 'Company' }, 'name', nameFormat],
      ['a leading digit', { name: '1st_plan' }, 'name', nameFormat],
      ['a leading underscore', { name: '_plan' }, 'name', nameFormat],
      ['a dash', { name: 'my-plan' }, 'name', nameFormat],
      ['a space', { name: 'my plan' }, 'name', nameFormat],
      ['an empty name', { name: '' }, 'name', nameFormat],
      ['a reserved name', { name: 'email' }, 'name', 'Reserved field name used: "email"'],
      ['another reserved name', { name: 'external_id' }, 'name', 'Reserved field name used: "external_id"'],
      ['an unknown type', { type: 'string' }, 'type', 'Invalid type. Must be one of: text, number, boolean, date'],
      ['no type', { type: undefined }, 'type', 'Required'],
      ['no label', { label: undefined }, 'label', 'Required'],
      ['a numeric description', { description: 1 }, 'description', 'Expected string, received number'],
    ])('answers 400 to %s', async (_case, override, field, message) => {
      const reply = await create({ ...company, ...override })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listed()).toEqual([])
    })

    it('answers 400 to a name already taken (via the API or addCustomAttribute), keeping the original', async () => {
      expect((await create(company)).status).toBe(200)
      const again = await create({ ...company, type: 'number', label: 'Other' })
      expect(again.status).toBe(400)
      expect(again.json).toEqual({
        message: 'Invalid request body',
        issues: [{ field: 'name', message: 'Custom attribute "company" already exists' }],
      })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      expect((await create({ name: 'plan', type: 'text', label: 'Plan' })).status).toBe(400)
      expect(await listed()).toEqual([
        { ...company, archived: false },
        { name: 'plan', type: 'text', label: 'plan', archived: false },
      ])
    })

    it('allows the same name on another chatbot', async () => {
      emulator.addChatbot('other-bot')
      await create(company)
      const reply = await api('POST', '/chatbots/other-bot/custom-attributes', { body: company })
      expect(reply.status).toBe(200)
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      const unknown = await api('POST', '/chatbots/no-such-bot/custom-attributes', { body: company })
      expect(unknown).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('POST', ATTRIBUTES, { body: company, authorization: null })
      expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect(await listed()).toEqual([])
    })

    it('keeps addCustomAttribute rejecting bad and reserved names', () => {
      expect(() => emulator.addCustomAttribute(CHATBOT, { name: 'Bad', type: 'text' })).toThrow()
      expect(() => emulator.addCustomAttribute(CHATBOT, { name: 'name', type: 'text' })).toThrow()
    })
  })

  describe('PUT /chatbots/{chatbotId}/custom-attributes/{name}', () => {
    beforeEach(async () => {
      expect((await create(company)).status).toBe(200)
    })

    it('updates label and description, never name or type', async () => {
      const reply = await update('company', {
        label: 'Updated Label',
        description: 'Updated description',
        type: 'number',
        name: 'x',
      })
      expect(reply.status).toBe(200)
      const expected = {
        name: 'company',
        type: 'text',
        label: 'Updated Label',
        description: 'Updated description',
        archived: false,
      }
      expect(reply.json).toEqual({ message: 'Success', data: expected })
      expect(await listed()).toEqual([expected])
    })

    it('archives: contacts can then only set the attribute to null; unarchiving makes it usable again', async () => {
      const archived = await update('company', { archived: true })
      expect(archived.json.data).toEqual({ ...company, archived: true })
      const rejected = await api('POST', CONTACTS, {
        body: { users: [{ external_id: 'a', custom_attributes: { company: 'Acme' } }] },
      })
      expect(rejected.status).toBe(400)
      expect(rejected.json.issues).toEqual([
        { field: 'custom_attributes.company', message: 'Custom attribute "company" is archived' },
      ])
      const [cleared] = await createContacts([{ external_id: 'b', custom_attributes: { company: null } }])
      expect(cleared?.custom_attributes).toEqual({ company: null })

      expect((await update('company', { archived: false })).json.data.archived).toBe(false)
      const [contact] = await createContacts([{ external_id: 'c', custom_attributes: { company: 'Acme' } }])
      expect(contact?.custom_attributes).toEqual({ company: 'Acme' })
    })

    it('un-archives when archived is left out (documented default false)', async () => {
      await update('company', { archived: true })
      const reply = await update('company', { label: 'Relabelled' })
      expect(reply.json.data).toEqual({ ...company, label: 'Relabelled', archived: false })
    })

    it('updates attributes added with addCustomAttribute too', async () => {
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })
      const reply = await update('plan', { archived: true, description: 'The plan' })
      expect(reply.json.data).toEqual({
        name: 'plan',
        type: 'text',
        label: 'plan',
        description: 'The plan',
        archived: true,
      })
    })

    it.each([
      ['a string archived', { archived: 'yes' }, 'archived', 'Expected boolean, received string'],
      ['a numeric label', { label: 5 }, 'label', 'Expected string, received number'],
      ['a null description', { description: null }, 'description', 'Expected string, received null'],
    ])('answers 400 to %s, changing nothing', async (_case, body, field, message) => {
      const reply = await update('company', body)
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listed()).toEqual([{ ...company, archived: false }])
    })

    it('answers 404 Custom attribute not found, Chatbot not found, and 401 without the key', async () => {
      expect(await update('nope', { label: 'x' })).toMatchObject({
        status: 404,
        json: { message: 'Custom attribute not found' },
      })
      const unknownBot = await api('PUT', '/chatbots/no-such-bot/custom-attributes/company', { body: { label: 'x' } })
      expect(unknownBot).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('PUT', `${ATTRIBUTES}/company`, { body: { label: 'x' }, authorization: null })
      expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized access' } })
      expect((await listed())[0].label).toBe('Company Name')
    })

    it('has no way to delete an attribute', async () => {
      expect(await api('DELETE', `${ATTRIBUTES}/company`)).toMatchObject({
        status: 404,
        json: { message: 'Not found' },
      })
      expect(await listed()).toHaveLength(1)
    })
  })
})
