// The chatbot endpoints: list, create, update, delete, and the icon and profile picture.
import { describe, expect, it } from 'vitest'
import { pngImage } from '../file-host'
import type { ChatbaseEmulator, StoredChatbot } from './index'
import { CHATBOT, useEmulator, type Body } from './self-test'

let emulator: ChatbaseEmulator
const { api } = useEmulator((started) => (emulator = started))

describe('chatbots', () => {
  const listChatbots = async (): Promise<StoredChatbot[]> => (await api('GET', '/get-chatbots')).json.chatbots
  const createChatbot = async (body: unknown): Promise<string> => {
    const reply = await api('POST', '/create-chatbot', { body })
    expect(reply.status).toBe(200)
    return reply.json.chatbotId
  }

  describe('GET /get-chatbots', () => {
    it("answers { chatbots } with every chatbot's parameters", async () => {
      const reply = await api('GET', '/get-chatbots')
      expect(reply.status).toBe(200)
      expect(Object.keys(reply.json)).toEqual(['chatbots'])
      const listed = reply.json.chatbots.find((chatbot: StoredChatbot) => chatbot.id === CHATBOT)
      expect(listed).toEqual(emulator.chatbot(CHATBOT))
      expect(listed).toMatchObject({
        id: CHATBOT,
        name: CHATBOT,
        sourceText: null,
        visibility: 'private',
        model: 'gpt-4o-mini',
        temp: 0,
        styles: { theme: 'light', alignChatButton: 'right' },
        collectCustomerInformation: { name: { label: 'Name', active: false } },
      })
    })

    it('lists chatbots added with addChatbot and created through the API', async () => {
      emulator.addChatbot('listed-bot')
      const created = await createChatbot({ chatbotName: 'Support' })
      const ours = [CHATBOT, 'listed-bot', created]
      const listed = (await listChatbots()).filter((chatbot) => ours.includes(chatbot.id))
      expect(listed.map((chatbot) => [chatbot.id, chatbot.name])).toEqual([
        [CHATBOT, CHATBOT],
        ['listed-bot', 'listed-bot'],
        [created, 'Support'],
      ])
    })

    it('answers 401 without the key', async () => {
      expect(await api('GET', '/get-chatbots', { authorization: null })).toMatchObject({ status: 401 })
    })
  })

  describe('POST /create-chatbot', () => {
    it('answers { chatbotId } and stores the name and source text', async () => {
      const reply = await api('POST', '/create-chatbot', {
        body: { chatbotName: 'example chatbot', sourceText: 'Source text' },
      })
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ chatbotId: expect.any(String) })
      expect(emulator.chatbot(reply.json.chatbotId)).toMatchObject({
        id: reply.json.chatbotId,
        name: 'example chatbot',
        sourceText: 'Source text',
        styles: { displayName: 'example chatbot' },
      })
      const other = await createChatbot({ chatbotName: 'example chatbot' })
      expect(other).not.toBe(reply.json.chatbotId)
      expect(emulator.chatbot(other)?.sourceText).toBeNull()
    })

    it("stores the curl example's urlsToScrape, and refuses what is not a list of http(s) URLs", async () => {
      const urls = ['https://www.chatbase.co/docs/chat', 'http://example.com/faq']
      const chatbotId = await createChatbot({ chatbotName: 'Scraped', urlsToScrape: urls })
      expect(emulator.chatbot(chatbotId)?.urlsToScrape).toEqual(urls)

      const bad = await api('POST', '/create-chatbot', {
        body: { chatbotName: 'x', urlsToScrape: ['ftp://example.com', 7] },
      })
      expect(bad.json.issues).toEqual([
        { field: 'urlsToScrape.1', message: 'Expected string, received number' },
        { field: 'urlsToScrape.0', message: 'Invalid url' },
      ])
      expect(
        (await api('POST', '/create-chatbot', { body: { chatbotName: 'x', urlsToScrape: 'https://a.b' } })).status
      ).toBe(400)
    })

    it('makes a real chatbot: chat, contacts, custom attributes, leads and conversations work', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Support' })
      const chat = await api('POST', '/chat', {
        body: { chatbotId, messages: [{ role: 'user', content: 'hello' }], conversationId: 'new-bot-conv' },
      })
      expect(chat).toMatchObject({ status: 200, json: { text: 'Emulated reply to "hello" (messages received: 1)' } })
      const conversations = await api('GET', '/get-conversations', { query: { chatbotId } })
      expect(conversations.json.data.map((conversation: { id: string }) => conversation.id)).toEqual(['new-bot-conv'])

      const attribute = await api('POST', `/chatbots/${chatbotId}/custom-attributes`, {
        body: { name: 'plan', type: 'text', label: 'Plan' },
      })
      expect(attribute.status).toBe(200)
      const created = await api('POST', `/chatbots/${chatbotId}/contacts`, {
        body: { users: [{ external_id: 'a', custom_attributes: { plan: 'pro' } }] },
      })
      expect(created.status).toBe(200)
      expect(emulator.contacts(chatbotId)).toMatchObject([{ external_id: 'a', custom_attributes: { plan: 'pro' } }])
      expect((await api('GET', `/chatbots/${chatbotId}/contacts`)).json.total).toBe(1)

      emulator.addLead(chatbotId, { name: 'Ann' })
      const leads = await api('GET', '/get-leads', { query: { chatbotId } })
      expect(leads.json.data).toMatchObject([{ name: 'Ann', chatbot_id: chatbotId }])
      expect((await api('GET', '/get-leads', { query: { chatbotId: CHATBOT } })).json.data).toEqual([])
    })

    it.each([
      ['no chatbotName', {}, 'chatbotName', 'Required'],
      ['a numeric chatbotName', { chatbotName: 7 }, 'chatbotName', 'Expected string, received number'],
      ['a numeric sourceText', { chatbotName: 'x', sourceText: 1 }, 'sourceText', 'Expected string, received number'],
    ])('answers 400 to %s and creates nothing', async (_case, body, field, message) => {
      const before = await listChatbots()
      const reply = await api('POST', '/create-chatbot', { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(await listChatbots()).toEqual(before)
    })

    it('answers 401 without the key and creates nothing', async () => {
      const before = await listChatbots()
      const reply = await api('POST', '/create-chatbot', { body: { chatbotName: 'x' }, authorization: null })
      expect(reply.status).toBe(401)
      expect(await listChatbots()).toEqual(before)
    })
  })

  describe('POST /update-chatbot-data', () => {
    it('renames and replaces the source text, answering { chatbotId }', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Old', sourceText: 'old text' })
      const reply = await api('POST', '/update-chatbot-data', {
        body: { chatbotId, chatbotName: 'new name', sourceText: 'new text' },
      })
      expect(reply).toMatchObject({ status: 200, json: { chatbotId } })
      expect(emulator.chatbot(chatbotId)).toMatchObject({ name: 'new name', sourceText: 'new text' })
    })

    it('keeps the source text when none is given', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Old', sourceText: 'old text' })
      await api('POST', '/update-chatbot-data', { body: { chatbotId, chatbotName: 'Renamed' } })
      expect(emulator.chatbot(chatbotId)).toMatchObject({ name: 'Renamed', sourceText: 'old text' })
    })

    it.each([
      ['no chatbotId', { chatbotName: 'x' }, 'chatbotId', 'Required'],
      ['no chatbotName', { chatbotId: CHATBOT }, 'chatbotName', 'Required'],
      [
        'a numeric sourceText',
        { chatbotId: CHATBOT, chatbotName: 'x', sourceText: 3 },
        'sourceText',
        'Expected string, received number',
      ],
    ])('answers 400 to %s', async (_case, body, field, message) => {
      const reply = await api('POST', '/update-chatbot-data', { body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.chatbot(CHATBOT)?.name).toBe(CHATBOT)
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      const unknown = await api('POST', '/update-chatbot-data', {
        body: { chatbotId: 'no-such-bot', chatbotName: 'x' },
      })
      expect(unknown).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const body = { chatbotId: CHATBOT, chatbotName: 'x' }
      expect((await api('POST', '/update-chatbot-data', { body, authorization: null })).status).toBe(401)
      expect(emulator.chatbot(CHATBOT)?.name).toBe(CHATBOT)
    })
  })

  describe('POST /update-chatbot-settings', () => {
    const update = (body: Record<string, unknown>) =>
      api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, ...body } })
    // The docs' example payload
    const example = {
      collectCustomerInformation: {
        name: { label: 'Name', active: true },
        email: { label: 'Email', active: true },
        title: 'Let us know how to contact you',
      },
      styles: {
        theme: 'dark',
        userMessageColor: '#3B81F7',
        buttonColor: '#3B81F7',
        displayName: 'Product Hunt',
        autoOpenChatWindowAfter: 4,
        alignChatButton: 'left',
      },
      name: 'my Chatbot',
      instructions: 'I want you to act as a document that I am having a conversation with.',
      initialMessages: ['Hi! What can I help you with?'],
      suggestedMessages: ['Hi! What are you?'],
      visibility: 'public',
      onlyAllowOnAddedDomains: true,
      domains: ['example.com'],
      ipLimit: 20,
      ipLimitTimeframe: 240,
      ipLimitMessage: 'Too many messages in a row',
      model: 'gpt-4',
      temp: 0.2,
    }

    it("answers 202 and stores the docs' example payload", async () => {
      const reply = await update(example)
      expect(reply.status).toBe(202)
      expect(reply.json).toEqual({ message: 'Chatbot settings updated successfully' })
      const { collectCustomerInformation, styles, ...plain } = example
      const stored = emulator.chatbot(CHATBOT)
      expect(stored).toMatchObject({ id: CHATBOT, ...plain, styles })
      expect(stored?.collectCustomerInformation).toEqual({
        ...collectCustomerInformation,
        phone: { label: 'Phone', active: false },
      })
      expect((await listChatbots()).find((chatbot) => chatbot.id === CHATBOT)).toEqual(stored)
    })

    it('changes only the given fields and merges nested objects', async () => {
      const before = emulator.chatbot(CHATBOT) as StoredChatbot
      await update({
        temp: 0.7,
        collectCustomerInformation: { phone: { active: true } },
        styles: { theme: 'dark' },
        unknown: 1,
      })
      expect(emulator.chatbot(CHATBOT)).toEqual({
        ...before,
        temp: 0.7,
        collectCustomerInformation: { ...before.collectCustomerInformation, phone: { label: 'Phone', active: true } },
        styles: { ...before.styles, theme: 'dark' },
      })
    })

    it('accepts the bounds of the ranges', async () => {
      for (const body of [
        { temp: 0 },
        { temp: 1 },
        { ipLimit: 0 },
        { styles: { autoOpenChatWindowAfter: 0, userMessageColor: '#fff' } },
      ]) {
        expect((await update(body)).status).toBe(202)
      }
      expect(emulator.chatbot(CHATBOT)).toMatchObject({ temp: 1, ipLimit: 0, styles: { userMessageColor: '#fff' } })
    })

    it.each([
      ['a string name', { name: 1 }, 'name', 'Expected string, received number'],
      [
        'an unknown visibility',
        { visibility: 'hidden' },
        'visibility',
        "Invalid enum value. Expected 'private' | 'public', received 'hidden'",
      ],
      ['temp above 1', { temp: 1.5 }, 'temp', 'Number must be less than or equal to 1'],
      ['temp below 0', { temp: -0.1 }, 'temp', 'Number must be greater than or equal to 0'],
      ['a string temp', { temp: '0.5' }, 'temp', 'Expected number, received string'],
      ['a fractional ipLimit', { ipLimit: 2.5 }, 'ipLimit', 'Expected integer, received float'],
      [
        'a negative ipLimitTimeframe',
        { ipLimitTimeframe: -1 },
        'ipLimitTimeframe',
        'Number must be greater than or equal to 0',
      ],
      ['an unknown model', { model: 'gpt-5' }, 'model', expect.stringContaining("received 'gpt-5'")],
      [
        'a non-string initial message',
        { initialMessages: ['ok', 3] },
        'initialMessages.1',
        'Expected string, received number',
      ],
      ['domains as a string', { domains: 'example.com' }, 'domains', 'Expected array, received string'],
      [
        'a string onlyAllowOnAddedDomains',
        { onlyAllowOnAddedDomains: 'true' },
        'onlyAllowOnAddedDomains',
        'Expected boolean, received string',
      ],
      [
        'an unknown theme',
        { styles: { theme: 'blue' } },
        'styles.theme',
        "Invalid enum value. Expected 'dark' | 'light', received 'blue'",
      ],
      [
        'a color name',
        { styles: { buttonColor: 'blue' } },
        'styles.buttonColor',
        'Invalid hex color, expected e.g. #3B81F7',
      ],
      [
        'a bad alignment',
        { styles: { alignChatButton: 'center' } },
        'styles.alignChatButton',
        "Invalid enum value. Expected 'left' | 'right', received 'center'",
      ],
      [
        'a string delay',
        { styles: { autoOpenChatWindowAfter: '4' } },
        'styles.autoOpenChatWindowAfter',
        'Expected number, received string',
      ],
      ['styles as an array', { styles: [] }, 'styles', 'Expected object, received array'],
      [
        'a string active',
        { collectCustomerInformation: { name: { active: 'yes' } } },
        'collectCustomerInformation.name.active',
        'Expected boolean, received string',
      ],
      [
        'a numeric title',
        { collectCustomerInformation: { title: 1 } },
        'collectCustomerInformation.title',
        'Expected string, received number',
      ],
      ['no chatbotId', { chatbotId: undefined }, 'chatbotId', 'Required'],
    ])('answers 400 to %s and changes nothing', async (_case, body, field, message) => {
      const before = emulator.chatbot(CHATBOT)
      const reply = await update({ name: 'changed', ...body })
      expect(reply.status).toBe(400)
      expect(reply.json).toEqual({ message: 'Invalid request body', issues: [{ field, message }] })
      expect(emulator.chatbot(CHATBOT)).toEqual(before)
    })

    it('accepts every model of the /chat page, e.g. claude-3-haiku and grok-3-mini', async () => {
      expect((await update({ model: 'claude-3-haiku' })).status).toBe(202)
      expect((await update({ model: 'grok-3-mini' })).status).toBe(202)
      expect(emulator.chatbot(CHATBOT)?.model).toBe('grok-3-mini')
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      expect(await update({ chatbotId: 'no-such-bot', temp: 1 })).toMatchObject({
        status: 404,
        json: { message: 'Chatbot not found' },
      })
      const anonymous = await api('POST', '/update-chatbot-settings', {
        body: { chatbotId: CHATBOT, temp: 1 },
        authorization: null,
      })
      expect(anonymous.status).toBe(401)
      expect(emulator.chatbot(CHATBOT)?.temp).toBe(0)
    })
  })

  describe('DELETE /delete-chatbot', () => {
    const remove = (chatbotId: string) => api('DELETE', '/delete-chatbot', { query: { chatbotId } })

    it('deletes the chatbot and its data: every route then answers 404', async () => {
      const chatbotId = await createChatbot({ chatbotName: 'Doomed' })
      await api('POST', `/chatbots/${chatbotId}/contacts`, { body: { users: [{ external_id: 'a' }] } })
      await api('POST', '/chat', {
        body: { chatbotId, messages: [{ role: 'user', content: 'x' }], conversationId: 'doomed-conv' },
      })

      expect(await remove(chatbotId)).toMatchObject({ status: 200, json: { message: 'Deleted successfully' } })
      expect(emulator.chatbot(chatbotId)).toBeUndefined()
      expect(emulator.savedConversation('doomed-conv')).toBeUndefined()
      const notFound = { status: 404, json: { message: 'Chatbot not found' } }
      expect(
        await api('POST', '/chat', { body: { chatbotId, messages: [{ role: 'user', content: 'x' }] } })
      ).toMatchObject(notFound)
      expect(await api('GET', `/chatbots/${chatbotId}/contacts`)).toMatchObject(notFound)
      expect(await api('GET', '/get-conversations', { query: { chatbotId } })).toMatchObject(notFound)
      expect(await remove(chatbotId)).toMatchObject(notFound)
      const remaining = (await listChatbots()).map((chatbot) => chatbot.id)
      expect(remaining).not.toContain(chatbotId)
      expect(remaining).toContain(CHATBOT)
    })

    it('answers 400 without chatbotId, 404 for an unknown chatbot, 401 without the key', async () => {
      const missing = await api('DELETE', '/delete-chatbot')
      expect(missing.status).toBe(400)
      expect(missing.json.issues).toEqual([{ field: 'chatbotId', message: 'Required' }])
      expect(await remove('no-such-bot')).toMatchObject({ status: 404, json: { message: 'Chatbot not found' } })
      const anonymous = await api('DELETE', '/delete-chatbot', { query: { chatbotId: CHATBOT }, authorization: null })
      expect(anonymous.status).toBe(401)
      expect(emulator.chatbot(CHATBOT)).toBeDefined()
    })

    it('is a DELETE only, as documented', async () => {
      const reply = await api('POST', '/delete-chatbot', { query: { chatbotId: CHATBOT } })
      expect(reply).toMatchObject({ status: 404, json: { message: 'Not found' } })
      expect(emulator.chatbot(CHATBOT)).toBeDefined()
    })
  })

  describe('reset()', () => {
    it('removes API-created chatbots, keeps and restores the others with default settings', async () => {
      emulator.addChatbot('extra-bot')
      const created = await createChatbot({ chatbotName: 'Temporary' })
      const defaults = emulator.chatbot(CHATBOT)
      await api('POST', '/update-chatbot-settings', { body: { chatbotId: CHATBOT, temp: 0.9 } })
      expect(emulator.chatbot(CHATBOT)?.temp).toBe(0.9)
      expect((await api('DELETE', '/delete-chatbot', { query: { chatbotId: 'extra-bot' } })).status).toBe(200)
      emulator.addConversation(CHATBOT, { id: 'kept?', messages: [] })
      emulator.addCustomAttribute(CHATBOT, { name: 'plan', type: 'text' })

      emulator.reset()
      expect(emulator.chatbot(created)).toBeUndefined()
      expect(
        (await api('POST', '/chat', { body: { chatbotId: created, messages: [{ role: 'user', content: 'x' }] } }))
          .status
      ).toBe(404)
      expect(emulator.chatbot(CHATBOT)).toEqual(defaults)
      expect(emulator.chatbot('extra-bot')).toMatchObject({ id: 'extra-bot' })
      expect((await api('GET', '/get-conversations', { query: { chatbotId: CHATBOT } })).json.data).toEqual([])
      expect((await api('GET', `/chatbots/${CHATBOT}/custom-attributes`)).json.data).toEqual([])
    })
  })
})

describe('chatbot images', () => {
  const square = pngImage(8)
  const form = (fields: Record<string, string | Blob>): FormData => {
    const body = new FormData()
    for (const [name, value] of Object.entries(fields))
      body.append(name, value, ...(value instanceof Blob ? ['icon.png'] : []))
    return body
  }
  const upload = (path: string, body: FormData | string, authorization = `Bearer ${emulator.apiKey}`) =>
    fetch(emulator.url + path, { method: 'POST', headers: { authorization }, body }).then(
      async (response): Promise<{ status: number; json: Body }> => ({
        status: response.status,
        json: await response.json(),
      })
    )
  const png = (bytes: Buffer) => new Blob([bytes], { type: 'image/png' })

  describe.each([
    ['/upload-chatbot-icon', 'chatbotIconFile', 'icon', 'Chatbot icon'],
    ['/upload-chatbot-profile-picture', 'profilePictureFile', 'profilePicture', 'Chatbot profile picture'],
  ] as const)('POST %s', (path, fileField, image, what) => {
    it('stores the file with its name and type, and records the parts', async () => {
      const reply = await upload(path, form({ chatbotId: CHATBOT, [fileField]: png(square) }))

      expect(reply).toEqual({ status: 200, json: { message: `${what} uploaded successfully` } })
      expect(emulator.chatbotImage(CHATBOT, image)).toEqual({
        fileName: 'icon.png',
        contentType: 'image/png',
        bytes: square,
      })
      expect(emulator.requests[0]?.parts).toEqual([
        { name: 'chatbotId', value: CHATBOT },
        { name: fileField, fileName: 'icon.png', contentType: 'image/png', bytes: square },
      ])
    })

    it.each([
      ['no chatbotId', () => form({ [fileField]: png(square) }), [{ field: 'chatbotId', message: 'Required' }]],
      ['no file', () => form({ chatbotId: CHATBOT }), [{ field: fileField, message: 'Required' }]],
      [
        'the file as a plain field',
        () => form({ chatbotId: CHATBOT, [fileField]: 'not a file' }),
        [{ field: fileField, message: 'Required' }],
      ],
      [
        'a file of 1 MB',
        () => form({ chatbotId: CHATBOT, [fileField]: png(Buffer.alloc(1_000_000)) }),
        [{ field: fileField, message: 'File size must be under 1MB' }],
      ],
      [
        'a PNG that is not square',
        () => form({ chatbotId: CHATBOT, [fileField]: png(pngImage(8, 4)) }),
        [{ field: fileField, message: 'Image must be square (length = width)' }],
      ],
    ])('answers 400 to %s', async (_, body, issues) => {
      const reply = await upload(path, body())

      expect(reply).toEqual({ status: 400, json: { message: 'Invalid request body', issues } })
      expect(emulator.chatbotImage(CHATBOT, image)).toBeUndefined()
    })

    it('answers 400 to a body that is not multipart', async () => {
      const reply = await upload(path, JSON.stringify({ chatbotId: CHATBOT }))
      expect(reply.json.issues).toEqual([{ field: 'body', message: 'Expected multipart/form-data' }])
    })

    it('answers 404 for an unknown chatbot and 401 without the key', async () => {
      expect(await upload(path, form({ chatbotId: 'ghost', [fileField]: png(square) }))).toEqual({
        status: 404,
        json: { message: 'Chatbot not found' },
      })
      expect((await upload(path, form({ chatbotId: CHATBOT, [fileField]: png(square) }), 'Bearer wrong')).status).toBe(
        401
      )
    })
  })

  describe.each([
    ['/delete-chatbot-icon', '/upload-chatbot-icon', 'chatbotIconFile', 'icon', 'Chatbot icon'],
    [
      '/delete-chatbot-profile-picture',
      '/upload-chatbot-profile-picture',
      'profilePictureFile',
      'profilePicture',
      'Chatbot profile picture',
    ],
  ] as const)('DELETE %s', (path, uploadPath, fileField, image, what) => {
    it('removes the image, and succeeds when there is none', async () => {
      await upload(uploadPath, form({ chatbotId: CHATBOT, [fileField]: png(square) }))
      const reply = await api('DELETE', path, { query: { chatbotId: CHATBOT } })

      expect(reply).toMatchObject({ status: 200, json: { message: `${what} deleted successfully.` } })
      expect(emulator.chatbotImage(CHATBOT, image)).toBeUndefined()
      expect((await api('DELETE', path, { query: { chatbotId: CHATBOT } })).status).toBe(200)
    })

    it('answers 400 without chatbotId and 404 for an unknown chatbot', async () => {
      expect(await api('DELETE', path)).toMatchObject({
        status: 400,
        json: { issues: [{ field: 'chatbotId', message: 'Required' }] },
      })
      expect(await api('DELETE', path, { query: { chatbotId: 'ghost' } })).toMatchObject({ status: 404 })
    })
  })

  it('forgets images on reset()', async () => {
    await upload('/upload-chatbot-icon', form({ chatbotId: CHATBOT, chatbotIconFile: png(square) }))
    emulator.reset()
    expect(emulator.chatbotImage(CHATBOT, 'icon')).toBeUndefined()
  })
})
