// The sources: list, get, summary, create, update, delete on the API host, file sources on the files host, training
// after N reads, and the switches. Every answer is checked against the spec by the emulator (see self-test.ts).
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator } from '../self-test'

let emulator: ChatbaseEmulator
const { v2, files, takeViolations } = useEmulator((started) => (emulator = started))

const SOURCES = `/agents/${CHATBOT}/sources`

const fileForm = (fileName: string, bytes: Buffer = Buffer.from('%PDF-1.4'), name = 'Handbook') => {
  const form = new FormData()
  form.append('name', name)
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), fileName)
  return form
}

describe('sources', () => {
  it('creates a text source (201, untrained) that trains after the reads setTraining asks for', async () => {
    emulator.setSourceTraining({ outcome: 'failed', afterPolls: 2 })
    const created = await v2('POST', SOURCES, { body: { type: 'text', name: 'Hours', content: 'Open 9 to 5.' } })
    expect(created).toMatchObject({
      status: 201,
      json: { type: 'text', name: 'Hours', size: 12, status: 'untrained', metadata: null },
    })
    const read = async () => (await v2('GET', `${SOURCES}/${created.json.id}`)).json.status
    expect([await read(), await read(), await read()]).toEqual(['untrained', 'failed', 'failed'])
  })

  it('refuses a second link with the same URL and link type, not with another type', async () => {
    const link = { type: 'link', url: 'https://example.com', linkType: 'individual' }
    expect((await v2('POST', SOURCES, { body: link })).status).toBe(201)
    expect(await v2('POST', SOURCES, { body: link })).toMatchObject({
      status: 409,
      json: { error: { code: 'SOURCE_DUPLICATE' } },
    })
    const crawl = await v2('POST', SOURCES, { body: { ...link, linkType: 'crawl' } })
    expect(crawl.json.metadata).toMatchObject({ type: 'crawl', excludePaths: [], crawlStatus: 'fetched' })
  })

  it('lists by type and name, in pages, and sums the sources up', async () => {
    emulator.addSource(CHATBOT, { type: 'text', name: 'Alpha notes', content: 'abc' })
    emulator.addSource(CHATBOT, { type: 'qna', name: 'alpha faq', questions: ['Q?'], answer: 'A' })
    emulator.addSource(CHATBOT, { type: 'link', url: 'https://example.com' })
    const first = await v2('GET', SOURCES, { query: { name: 'ALPHA', limit: '1' } })
    expect(first.json.data.map((source: { name: string }) => source.name)).toEqual(['Alpha notes'])
    expect(first.json.pagination).toEqual({ cursor: expect.any(String), hasMore: true, total: 2 })
    const next = await v2('GET', SOURCES, {
      query: { name: 'ALPHA', limit: '1', cursor: first.json.pagination.cursor },
    })
    expect(next.json.data.map((source: { name: string }) => source.name)).toEqual(['alpha faq'])
    const links = await v2('GET', SOURCES, { query: { type: 'link' } })
    expect(links.json.data).toHaveLength(1)
    const summary = await v2('GET', `${SOURCES}/summary`)
    expect(summary.json).toMatchObject({ texts: { count: 1, size: 3 }, links: { count: 1 }, shouldRetrain: false })
  })

  it('updates with the fields of the source type only, and not once it is being deleted', async () => {
    const text = emulator.addSource(CHATBOT, { type: 'text', name: 'Hours', content: 'Open' })
    expect(await v2('PUT', `${SOURCES}/${text.id}`, { body: { content: 'Closed' } })).toMatchObject({
      status: 200,
      json: { status: 'updated', size: 6 },
    })
    expect(await v2('PUT', `${SOURCES}/${text.id}`, { body: { answer: 'x' } })).toMatchObject({
      status: 400,
      json: { error: { code: 'VALIDATION_INVALID_BODY', details: { answer: expect.any(String) } } },
    })
    expect(await v2('DELETE', `${SOURCES}/${text.id}`)).toMatchObject({ status: 200, json: { status: 'toBeDeleted' } })
    expect(await v2('PUT', `${SOURCES}/${text.id}`, { body: { content: 'x' } })).toMatchObject({
      status: 409,
      json: { error: { code: 'SOURCE_PENDING_DELETION' } },
    })
    expect(await v2('DELETE', `${SOURCES}/${text.id}`)).toMatchObject({
      status: 409,
      json: { error: { code: 'SOURCE_ALREADY_PENDING_DELETION' } },
    })
  })

  it('removes a deleted source at once under setSourceDeletion("deleted")', async () => {
    emulator.setSourceDeletion('deleted')
    const text = emulator.addSource(CHATBOT, { type: 'text', name: 'Hours', content: 'Open' })
    expect((await v2('DELETE', `${SOURCES}/${text.id}`)).json.status).toBe('deleted')
    expect((await v2('GET', `${SOURCES}/${text.id}`)).status).toBe(404)
  })

  it('refuses what would pass the storage limit (422)', async () => {
    emulator.setSourceStorageLimit(5)
    expect(await v2('POST', SOURCES, { body: { type: 'text', name: 'Big', content: 'abcdef' } })).toMatchObject({
      status: 422,
      json: { error: { code: 'SOURCE_SIZE_LIMIT_EXCEEDED' } },
    })
  })

  it('answers 404 AGENT_NOT_FOUND for an unknown agent', async () => {
    expect(await v2('GET', '/agents/ghost/sources')).toMatchObject({
      status: 404,
      json: { error: { code: 'AGENT_NOT_FOUND' } },
    })
  })
})

describe('file sources on the files host', () => {
  it('creates one from a multipart body, keeping the file, bare by default', async () => {
    const bytes = Buffer.from('%PDF-1.4 handbook')
    const reply = await files('POST', SOURCES, { form: fileForm('handbook.pdf', bytes) })
    expect(reply).toMatchObject({ status: 201, json: { type: 'file', name: 'Handbook', size: bytes.length } })
    expect(emulator.sources(CHATBOT)[0]?.file).toEqual({
      fileName: 'handbook.pdf',
      contentType: 'application/pdf',
      bytes,
    })
  })

  it('answers in { data } under setFileSourceShape("data"), the shape the spec does not give', async () => {
    emulator.setFileSourceShape('data')
    const reply = await files('POST', SOURCES, { form: fileForm('handbook.pdf') })
    expect(reply.json.data).toMatchObject({ type: 'file', status: 'untrained' })
    expect(takeViolations()).toEqual([])
  })

  it('refuses a type Chatbase does not take (400)', async () => {
    expect(await files('POST', SOURCES, { form: fileForm('photo.png') })).toMatchObject({
      status: 400,
      json: { error: { code: 'VALIDATION_INVALID_BODY' } },
    })
  })

  it('renames a file source without training it again, and replaces its file with training', async () => {
    const added = emulator.addSource(CHATBOT, {
      type: 'file',
      name: 'Old',
      fileName: 'old.pdf',
      bytes: Buffer.from('a'),
    })
    const name = new FormData()
    name.append('name', 'New')
    expect(await files('PUT', `${SOURCES}/${added.id}`, { form: name })).toMatchObject({
      status: 200,
      json: { name: 'New', status: 'trained' },
    })
    const replaced = await files('PUT', `${SOURCES}/${added.id}`, { form: fileForm('new.txt', Buffer.from('abc')) })
    expect(replaced.json).toMatchObject({ status: 'updated', size: 3 })
    expect(await files('PUT', `${SOURCES}/missing`, { form: name })).toMatchObject({
      status: 404,
      json: { error: { code: 'SOURCE_NOT_FOUND' } },
    })
  })
})
