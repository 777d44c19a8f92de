import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

/*
 * The knowledge-source cards against the emulator's API v2 and files host, through the served bundle. Files are
 * downloaded from the https file host.
 */

const h = useHarness()

const AGENT = `/agents/${CHATBOT_ID}`
const SOURCES = `${AGENT}/sources`
const WITHIN_DEADLINE_SLACK_MS = 750
const PDF = Buffer.from('%PDF-1.4\n% a handbook\n')

const v2Requests = (method: string, path: string, api: 'v2' | 'files' = 'v2') =>
  h.chatbase.requests.filter((request) => request.api === api && request.method === method && request.path === path)

const anySource = (fields: Record<string, unknown>) => ({
  id: expect.any(String),
  size: expect.any(Number),
  createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  metadata: null,
  ...fields,
})

describe('adding sources', () => {
  it('adds a text source with only the documented fields, and returns it as Chatbase did', async () => {
    const result = await h.driver.callAction('addTextSource', { name: 'Opening hours', content: 'Open 9 to 5.' })

    expect(result.output).toEqual({
      source: anySource({ type: 'text', name: 'Opening hours', status: 'untrained', size: 12 }),
    })
    expect(JSON.parse(v2Requests('POST', SOURCES)[0]!.body)).toEqual({
      type: 'text',
      name: 'Opening hours',
      content: 'Open 9 to 5.',
    })
    expect(h.chatbase.sources(CHATBOT_ID)).toEqual([
      expect.objectContaining({ id: result.output?.source.id, content: 'Open 9 to 5.' }),
    ])
  })

  it('adds a Q&A source', async () => {
    const questions = ['When are you open?', 'Opening hours?']
    const result = await h.driver.callAction('addQnaSource', { name: 'Hours', questions, answer: '9 to 5' })

    expect(result.output?.source).toEqual(anySource({ type: 'qna', name: 'Hours', status: 'untrained' }))
    expect(h.chatbase.sources(CHATBOT_ID)[0]).toMatchObject({ questions, answer: '9 to 5' })
  })

  it('adds an individual link by default, and a crawl with its paths', async () => {
    const page = await h.driver.callAction('addLinkSource', { url: 'https://example.com/faq' })
    const site = await h.driver.callAction('addLinkSource', {
      url: 'https://example.com',
      linkType: 'crawl',
      excludePaths: ['^/blog/'],
      slowScraping: true,
    })

    expect(page.output?.source).toMatchObject({ type: 'link', name: 'https://example.com/faq' })
    expect(page.output?.source.metadata).toEqual({ type: 'individual' })
    expect(site.output?.source.metadata).toMatchObject({ type: 'crawl', excludePaths: ['^/blog/'], slowScraping: true })
    expect(v2Requests('POST', SOURCES).map((request) => JSON.parse(request.body))).toEqual([
      { type: 'link', url: 'https://example.com/faq', linkType: 'individual' },
      { type: 'link', url: 'https://example.com', linkType: 'crawl', excludePaths: ['^/blog/'], slowScraping: true },
    ])
  })

  it('says clearly when the agent already has the link', async () => {
    await h.driver.callAction('addLinkSource', { url: 'https://example.com/faq' })
    const again = await h.driver.callAction('addLinkSource', { url: 'https://example.com/faq' })

    expect(again.error?.message).toMatch(
      /^Could not add the link source "https:\/\/example\.com\/faq"\. Chatbase refused the request \(409\): A source with this URL and type already exists\. The AI agent already has a source with this URL and link type/
    )
  })

  it("says clearly when the agent's storage is full", async () => {
    h.chatbase.setSourceStorageLimit(10)
    const result = await h.driver.callAction('addTextSource', { name: 'Too much', content: 'More than ten bytes.' })

    expect(result.error?.message).toMatch(
      /^Could not add the text source "Too much"\. Chatbase refused the request \(422\): Chatbot storage limit exceeded\. .*remove some sources or upgrade the plan/
    )
    expect(h.chatbase.sources(CHATBOT_ID)).toEqual([])
  })

  it('refuses a Q&A over the 4.5 MB Chatbase takes, before sending anything', async () => {
    const result = await h.driver.callAction('addQnaSource', {
      name: 'Huge',
      questions: ['Everything?'],
      answer: 'x'.repeat(4_600_000),
    })

    expect(result.error?.message).toBe(
      'Invalid input for Add Q&A Source: questions and answer: together they make a request of 4.6 MB, and Chatbase takes Q&A requests up to 4.5 MB'
    )
    expect(h.chatbase.requests).toEqual([])
  })

  it('refuses bad input naming the field, before sending anything', async () => {
    const tooMany = Array.from({ length: 51 }, (_, index) => `Question ${index}?`)
    const result = await h.driver.callAction('addQnaSource', { name: 'Many', questions: tooMany, answer: 'Yes' })

    expect(result.error?.message).toMatch(/^Invalid input for Add Q&A Source: questions: /)
    expect(h.chatbase.requests).toEqual([])
  })
})

describe.each(['bare', 'data'] as const)('Add File Source, the create answer %s', (shape) => {
  it('downloads the file and uploads it as multipart to the files host, with its name', async () => {
    h.chatbase.setFileSourceShape(shape)
    const fileUrl = h.files.serve('/docs/Employee%20Handbook.pdf', { body: PDF, contentType: 'application/pdf' })
    const result = await h.driver.callAction('addFileSource', { name: 'Handbook', fileUrl })

    expect(result.output).toEqual({
      source: anySource({ type: 'file', name: 'Handbook', size: PDF.length, status: 'untrained' }),
    })
    expect(h.files.requests[0]?.headers.authorization).toBeUndefined()
    expect(v2Requests('POST', SOURCES, 'files')[0]?.parts).toEqual([
      { name: 'name', value: 'Handbook' },
      { name: 'file', fileName: 'Employee Handbook.pdf', contentType: 'application/pdf', bytes: PDF },
    ])
  })
})

describe('Add File Source checks the file before Chatbase sees it', () => {
  it('tells the type by the content type when the name has no extension, and sends the name with it', async () => {
    const fileUrl = h.files.serve('/files/abc123', { body: PDF, contentType: 'application/pdf; charset=binary' })
    const result = await h.driver.callAction('addFileSource', { name: 'Handbook', fileUrl })

    expect(result.status).toBe(200)
    expect(v2Requests('POST', SOURCES, 'files')[0]?.parts?.[1]).toMatchObject({
      fileName: 'abc123.pdf',
      contentType: 'application/pdf',
    })
  })

  it('refuses a file whose extension is not .pdf, .doc, .docx or .txt without downloading it', async () => {
    const fileUrl = h.files.serve('/photo.png', { body: Buffer.from('png'), contentType: 'image/png' })
    const result = await h.driver.callAction('addFileSource', { name: 'Photo', fileUrl })

    expect(result.error?.message).toBe(
      'Invalid input for Add File Source: fileUrl: "photo.png" is a .png file, and Chatbase takes .pdf, .doc, .docx or .txt files.'
    )
    expect(h.files.requests).toEqual([])
    expect(h.chatbase.requests).toEqual([])
  })

  it('refuses a file without extension whose content type is not one Chatbase takes', async () => {
    const fileUrl = h.files.serve('/files/xyz', { body: Buffer.from('<html>'), contentType: 'text/html' })
    const result = await h.driver.callAction('addFileSource', { name: 'Page', fileUrl })

    expect(result.error?.message).toBe(
      'Invalid input for Add File Source: fileUrl: "xyz" has no extension and its host calls it text/html, and Chatbase takes .pdf, .doc, .docx or .txt files.'
    )
    expect(h.chatbase.requests).toEqual([])
  })

  it.each([
    ['with', false],
    ['without', true],
  ])('stops downloading a file of 20 MB or more, %s a Content-Length, and uploads nothing', async (_, chunked) => {
    const fileUrl = h.files.serve('/big.pdf', { body: Buffer.alloc(21_000_000, 1), chunked })
    const result = await h.driver.callAction('addFileSource', { name: 'Big', fileUrl })

    const size = chunked ? 'at least 20,000,000 bytes' : '21,000,000 bytes'
    expect(result.error?.message).toBe(
      `Could not download the file "big.pdf" from ${new URL(h.files.url).host}: it is ${size}, and Chatbase takes files under 20 MB (20,000,000 bytes). Use a smaller file.`
    )
    expect(h.chatbase.requests).toEqual([])
  })
})

describe('Wait Until Trained', () => {
  it.each(['trained', 'failed'] as const)('reads the source until training ends %s, and says so', async (outcome) => {
    h.chatbase.setSourceTraining({ outcome, afterPolls: 2 })
    const result = await h.driver.callAction('addTextSource', {
      name: 'Hours',
      content: 'Open 9 to 5.',
      waitUntilTrained: true,
    })

    expect(result.output?.source.status).toBe(outcome)
    expect(result.output?.training).toEqual({ outcome, checks: 2 })
    expect(v2Requests('GET', `${SOURCES}/${result.output?.source.id}`)).toHaveLength(2)
  })

  it('stops waiting before the deadline and says training had not ended', async () => {
    h.chatbase.setSourceTraining({ outcome: 'trained', afterPolls: 100 })
    const started = Date.now()
    const result = await h.driver
      .withConfiguration({ ...h.configuration, timeoutSeconds: 5 })
      .callAction('addQnaSource', { name: 'Slow', questions: ['Q?'], answer: 'A', waitUntilTrained: true })

    expect(result.output?.source.status).toBe('untrained')
    expect(result.output?.training).toEqual({
      outcome: 'unfinished',
      checks: expect.any(Number),
      note: expect.stringContaining("Training had not ended when the card's time ran out"),
    })
    expect(Date.now() - started).toBeLessThan(5_000 + WITHIN_DEADLINE_SLACK_MS)
  })

  it('keeps an added source when reading it fails, and reports the last status read', async () => {
    h.chatbase.injectFault({ api: 'v2', method: 'GET', path: /^\/agents\/[^/]+\/sources\/[^/]+$/, status: 404 })
    const result = await h.driver.callAction('addTextSource', { name: 'Hours', content: 'x', waitUntilTrained: true })

    expect(result.status).toBe(200)
    expect(result.output?.source.status).toBe('untrained')
    expect(result.output?.training).toEqual({
      outcome: 'unfinished',
      checks: 0,
      note: expect.stringMatching(/^Reading the source failed, so the wait stopped: Could not get the source\./),
    })
    expect(h.chatbase.sources(CHATBOT_ID)).toHaveLength(1)
  })
})

describe('reading sources', () => {
  it('lists one page with a cursor to go on, then the rest', async () => {
    for (let index = 0; index < 120; index++) {
      h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: `Text ${index}`, content: 'x' })
    }
    const first = await h.driver.callAction('listSources', {})
    const rest = await h.driver.callAction('listSources', { cursor: first.output?.nextCursor })

    expect(first.output?.sources).toHaveLength(100)
    expect(first.output).toMatchObject({ hasMore: true, nextCursor: expect.any(String) })
    expect(rest.output?.sources.map((source: { name: string }) => source.name)).toEqual(
      Array.from({ length: 20 }, (_, index) => `Text ${index + 100}`)
    )
    expect(rest.output?.hasMore).toBe(false)
    expect(rest.output?.nextCursor).toBeUndefined()
  })

  it('reads every page up to a Limit, and filters by type and name', async () => {
    for (let index = 0; index < 120; index++) {
      h.chatbase.addSource(CHATBOT_ID, { type: 'qna', name: `FAQ ${index}`, questions: ['Q?'], answer: 'A' })
    }
    h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'faq notes', content: 'x' })
    h.chatbase.addSource(CHATBOT_ID, { type: 'link', url: 'https://example.com' })
    const result = await h.driver.callAction('listSources', { type: ['qna', 'text'], name: 'FAQ', limit: 110 })

    expect(result.output?.sources).toHaveLength(121)
    expect(result.output?.hasMore).toBe(false)
    expect(v2Requests('GET', SOURCES).map((request) => request.query)).toEqual([
      { type: 'qna,text', name: 'FAQ', limit: '100' },
      { type: 'qna,text', name: 'FAQ', limit: '100', cursor: expect.any(String) },
    ])
  })

  it('gets one source, and the summary', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Hours', content: 'Open 9 to 5.' })
    const one = await h.driver.callAction('getSource', { sourceId: added.id })
    const summary = await h.driver.callAction('getSourcesSummary', {})

    expect(one.output).toEqual({ source: added })
    expect(summary.output?.summary).toMatchObject({ texts: { count: 1, size: 12 }, links: { count: 0, size: 0 } })
    expect(summary.output?.summary.shouldRetrain).toBe(false)
  })
})

describe('Update Source', () => {
  it('changes a text, which trains again', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Hours', content: 'Open 9 to 5.' })
    const result = await h.driver.callAction('updateSource', { sourceId: added.id, content: 'Open 8 to 6.' })

    expect(result.output?.source).toMatchObject({ id: added.id, status: 'updated' })
    expect(JSON.parse(v2Requests('PUT', `${SOURCES}/${added.id}`)[0]!.body)).toEqual({ content: 'Open 8 to 6.' })
    expect(h.chatbase.sources(CHATBOT_ID)[0]?.content).toBe('Open 8 to 6.')
  })

  it("changes a link's paths", async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'link', url: 'https://example.com', linkType: 'crawl' })
    const result = await h.driver.callAction('updateSource', { sourceId: added.id, includeOnlyPaths: ['^/docs/'] })

    expect(result.output?.source.metadata).toMatchObject({ includeOnlyPaths: ['^/docs/'] })
  })

  it('replaces a file through the files host, and renames one there too', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'file', name: 'Old', fileName: 'old.txt', bytes: PDF })
    const text = Buffer.from('New rules.')
    const fileUrl = h.files.serve('/new.txt', { body: text, contentType: 'text/plain' })
    const replaced = await h.driver.callAction('updateSource', { sourceId: added.id, fileUrl })
    const renamed = await h.driver.callAction('updateSource', { sourceId: added.id, name: 'Rules' })

    expect(replaced.output?.source).toMatchObject({ size: text.length, status: 'updated' })
    expect(renamed.output?.source).toMatchObject({ name: 'Rules' })
    expect(v2Requests('PUT', `${SOURCES}/${added.id}`, 'files').map((request) => request.parts)).toEqual([
      [{ name: 'file', fileName: 'new.txt', contentType: 'text/plain', bytes: text }],
      [{ name: 'name', value: 'Rules' }],
    ])
    expect(v2Requests('PUT', `${SOURCES}/${added.id}`)).toEqual([])
  })

  it.each([
    [
      { content: 'x', questions: ['Q?'] },
      'give the fields of one source type: content and questions, answer belong to different types',
    ],
    [{}, 'give at least one field to change'],
    [{ name: 'New', slowScraping: true }, 'name: a link source is named by its URL'],
  ])('refuses %j before sending anything', async (fields, problem) => {
    const result = await h.driver.callAction('updateSource', { sourceId: 'some-source', ...fields })

    expect(result.error?.message).toContain(`Invalid input for Update Source: ${problem}`)
    expect(h.chatbase.requests).toEqual([])
  })

  it('says clearly when the source is being deleted', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Gone', content: 'x', status: 'toBeDeleted' })
    const result = await h.driver.callAction('updateSource', { sourceId: added.id, content: 'y' })

    expect(result.error?.message).toMatch(
      /^Could not update the source\. Chatbase refused the request \(409\): Source is pending deletion and cannot be edited\. The source is being deleted/
    )
  })
})

describe('Delete Source', () => {
  it.each(['toBeDeleted', 'deleted'] as const)('returns the source as Chatbase left it (%s)', async (deletion) => {
    h.chatbase.setSourceDeletion(deletion)
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Old', content: 'x' })
    const result = await h.driver.callAction('deleteSource', { sourceId: added.id })

    expect(result.output).toEqual({ sourceId: added.id, source: { ...added, status: deletion } })
  })

  it('says clearly when the source is already being deleted', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Old', content: 'x', status: 'toBeDeleted' })
    const result = await h.driver.callAction('deleteSource', { sourceId: added.id })

    expect(result.error?.message).toMatch(
      /^Could not delete the source\. Chatbase refused the request \(409\): Source is already pending deletion\. The source is already being deleted/
    )
  })
})

describe('Chatbase acted, but its answer was lost', () => {
  it.each([
    ['a 502', { status: 502 }],
    ['a reset connection', { resetConnection: true }],
  ] as const)('an add returns the source it made, sent once, after %s', async (_, fault) => {
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: SOURCES, afterHandling: true, ...fault })
    const result = await h.driver.callAction('addTextSource', { name: 'Hours', content: 'Open 9 to 5.' })

    expect(result.output?.source.id).toBe(h.chatbase.sources(CHATBOT_ID)[0]?.id)
    expect(h.chatbase.sources(CHATBOT_ID)).toHaveLength(1)
    expect(v2Requests('POST', SOURCES)).toHaveLength(1)
  })

  it('a file add that never reached Chatbase is sent again, and made once', async () => {
    h.chatbase.injectFault({ api: 'files', method: 'POST', path: SOURCES, status: 502 })
    const fileUrl = h.files.serve('/handbook.pdf', { body: PDF, contentType: 'application/pdf' })
    const result = await h.driver.callAction('addFileSource', { name: 'Handbook', fileUrl })

    expect(result.output?.source.id).toBe(h.chatbase.sources(CHATBOT_ID)[0]?.id)
    expect(h.chatbase.sources(CHATBOT_ID)).toHaveLength(1)
    expect(v2Requests('POST', SOURCES, 'files')).toHaveLength(2)
  })

  it('an older source of the same name is not taken for the lost one', async () => {
    h.chatbase.addSource(CHATBOT_ID, {
      type: 'text',
      name: 'Hours',
      content: 'old',
      createdAt: '2024-01-01T00:00:00.000Z',
    })
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: SOURCES, status: 502 })
    const result = await h.driver.callAction('addTextSource', { name: 'Hours', content: 'new' })

    expect(h.chatbase.sources(CHATBOT_ID).map((source) => source.content)).toEqual(['old', 'new'])
    expect(result.output?.source.id).toBe(h.chatbase.sources(CHATBOT_ID)[1]?.id)
  })

  it('a delete whose answer was lost is not sent again', async () => {
    const added = h.chatbase.addSource(CHATBOT_ID, { type: 'text', name: 'Old', content: 'x' })
    h.chatbase.injectFault({ api: 'v2', method: 'DELETE', afterHandling: true, status: 502 })
    const result = await h.driver.callAction('deleteSource', { sourceId: added.id })

    expect(result.output?.source).toMatchObject({ id: added.id, status: 'toBeDeleted' })
    expect(v2Requests('DELETE', `${SOURCES}/${added.id}`)).toHaveLength(1)
  })
})

describe('on a plan without API v2', () => {
  it.each([
    ['listSources', {}],
    ['getSource', { sourceId: 's1' }],
    ['getSourcesSummary', {}],
    ['addTextSource', { name: 'n', content: 'c' }],
    ['addQnaSource', { name: 'n', questions: ['q'], answer: 'a' }],
    ['addLinkSource', { url: 'https://example.com' }],
    ['addFileSource', { name: 'n', fileUrl: 'https://127.0.0.1:1/file.pdf' }],
    ['updateSource', { sourceId: 's1', content: 'c' }],
    ['deleteSource', { sourceId: 's1' }],
  ])('%s fails naming the Standard plan', async (action, input) => {
    h.chatbase.setPlanAccess('no-api')
    const fileUrl = h.files.serve('/file.pdf', { body: PDF, contentType: 'application/pdf' })
    const result = await h.driver.callAction(action, 'fileUrl' in input ? { ...input, fileUrl } : input)

    expect(result.error?.message).toMatch(
      /needs Chatbase API v2, which comes with the Chatbase Standard plan or higher/
    )
  })
})
