import { z } from '@botpress/sdk'
import { FILE_SOURCE_LIMIT_BYTES, FILE_SOURCE_TYPES } from '../../definitions/constants'
import { ChatbaseError, isLostAnswer } from '../errors'
import type { ChatbaseTransport, DownloadedFile } from '../transport'
import { agentPath, agentTarget, bareOrData, cursorPage, type CursorPage } from './shared'

/*
 * An AI agent's knowledge sources (API v2 §7.5): text, Q&A and links as JSON on the API host, files as multipart on
 * the files host. Answers are read tolerantly: unknown types and statuses stay text, extra fields are kept, and a
 * file source comes bare (the spec) or in `{ data }` (Chatbase's CLI).
 */

/** What every source in an output carries; `metadata` is a link's crawl settings and progress, null for others. */
export const sourceWire = z
  .object({
    id: z.string().min(1),
    type: z.string(),
    name: z
      .string()
      .nullish()
      .transform((name) => name ?? null),
    size: z.number(),
    status: z.string(),
    createdAt: z.string(),
    metadata: z
      .record(z.unknown())
      .nullish()
      .transform((metadata) => metadata ?? null),
  })
  .passthrough()
export type SourceWire = z.output<typeof sourceWire>

const typeCount = z.object({ count: z.number(), size: z.number() }).passthrough()

/** Counts and bytes per source type; a type Chatbase adds later is kept under its own name. */
export const sourcesSummaryWire = z
  .object({
    links: typeCount.optional(),
    files: typeCount.optional(),
    qnas: typeCount.optional(),
    notionPages: typeCount.optional(),
    texts: typeCount.optional(),
    zendeskTickets: typeCount.optional(),
    salesforceCases: typeCount.optional(),
    shouldRetrain: z.boolean().optional(),
  })
  .passthrough()
export type SourcesSummaryWire = z.output<typeof sourcesSummaryWire>

const sourcesPage = cursorPage(sourceWire)
const createdSource = bareOrData(sourceWire)

export type TextSourceBody = { type: 'text'; name: string; content: string }
export type QnaSourceBody = { type: 'qna'; name: string; questions: string[]; answer: string }
export type LinkSourceBody = {
  type: 'link'
  url: string
  linkType: 'individual' | 'sitemap' | 'crawl'
  excludePaths?: string[]
  includeOnlyPaths?: string[]
  slowScraping?: boolean
}
export type JsonSourceBody = TextSourceBody | QnaSourceBody | LinkSourceBody
/** The fields of one type's update; Chatbase tells the type from the source. */
export type SourceChanges = Partial<Omit<TextSourceBody, 'type'> & Omit<QnaSourceBody, 'type'>> &
  Pick<LinkSourceBody, 'excludePaths' | 'includeOnlyPaths' | 'slowScraping'>

export type SourcesQuery = { type?: string; name?: string; cursor?: string; limit: number }

/** A file ready for Chatbase: its bytes, the name it is sent under (with its extension) and its content type. */
export type SourceFile = { bytes: Buffer; fileName: string; contentType: string }

export type FileSourceType = keyof typeof FILE_SOURCE_TYPES
const FILE_TYPE_NAMES = Object.keys(FILE_SOURCE_TYPES).map((extension) => `.${extension}`)
const ALLOWED = `Chatbase takes ${FILE_TYPE_NAMES.slice(0, -1).join(', ')} or ${FILE_TYPE_NAMES.at(-1)} files`

const isFileSourceType = (value: string): value is FileSourceType => Object.hasOwn(FILE_SOURCE_TYPES, value)
const extensionOf = (fileName: string): string | undefined => /\.([^./]+)$/.exec(fileName)?.[1]?.toLowerCase()

/**
 * The type of a file source, decided by its file name's extension, or by the content type its host gave when the
 * name has no extension. `undefined` while it cannot be told yet (no extension, content type not known yet).
 */
export const fileSourceType = (
  fileName: string,
  contentType?: string
): { type: FileSourceType } | { problem: string } | undefined => {
  const extension = extensionOf(fileName)
  if (extension !== undefined) {
    return isFileSourceType(extension)
      ? { type: extension }
      : { problem: `"${fileName}" is a .${extension} file, and ${ALLOWED}.` }
  }
  if (contentType === undefined) {
    return undefined
  }
  const byType = Object.entries(FILE_SOURCE_TYPES).find(([, type]) => type === contentType.toLowerCase())?.[0]
  return byType !== undefined && isFileSourceType(byType)
    ? { type: byType }
    : { problem: `"${fileName}" has no extension and its host calls it ${contentType}, and ${ALLOWED}.` }
}

/** A downloaded file as a file source sends it: under a name with the extension of its type, as that type. */
export const asSourceFile = (file: DownloadedFile, type: FileSourceType): SourceFile => ({
  bytes: file.bytes,
  fileName: extensionOf(file.fileName) === type ? file.fileName : `${file.fileName}.${type}`,
  contentType: FILE_SOURCE_TYPES[type],
})

/** Pages a search for a source whose creation answer was lost reads at most. */
const MAX_LOOKUP_PAGES = 5
/** A source made this long before the lost request is not its: Chatbase's clock may run a little behind ours. */
const CLOCK_TOLERANCE_MS = 2 * 60 * 1000

/** The statuses of a source being removed: a DELETE already went through. */
const PENDING_DELETION = new Set(['toBeDeleted', 'deleted'])

const sourceTarget = (agentId: string, sourceId: string) => `source "${sourceId}" of ${agentTarget(agentId)}`

/** What is added, as messages name it: `the text source "FAQ"`. */
const describeSource = (type: string, name: string) => `the ${type === 'qna' ? 'Q&A' : type} source "${name}"`

const multipart = (fields: { name?: string; file?: SourceFile }): FormData => {
  const form = new FormData()
  if (fields.name !== undefined) form.append('name', fields.name)
  if (fields.file !== undefined) {
    const { bytes, contentType, fileName } = fields.file
    form.append('file', new Blob([bytes], { type: contentType }), fileName)
  }
  return form
}

/** One action's calls to the sources endpoints; its transport holds the action's deadline. */
export class ChatbaseSources {
  public constructor(private readonly transport: ChatbaseTransport) {}

  /** The file at `fileUrl`, downloaded within this action's deadline, refused from the file-source limit on. */
  public async download(fileUrl: string): Promise<DownloadedFile> {
    return this.transport.download(fileUrl, FILE_SOURCE_LIMIT_BYTES)
  }

  public async list(agentId: string, query: SourcesQuery): Promise<CursorPage<SourceWire>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'sources'),
      query,
      responseSchema: sourcesPage,
      operation: 'list the sources',
      target: agentTarget(agentId),
    })
  }

  public async get(agentId: string, sourceId: string): Promise<SourceWire> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'sources', sourceId),
      responseSchema: sourceWire,
      operation: 'get the source',
      target: sourceTarget(agentId, sourceId),
    })
  }

  public async summary(agentId: string): Promise<SourcesSummaryWire> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'sources', 'summary'),
      responseSchema: sourcesSummaryWire,
      operation: 'get the sources summary',
      target: agentTarget(agentId),
    })
  }

  public async add(agentId: string, body: JsonSourceBody): Promise<SourceWire> {
    const name = body.type === 'link' ? body.url : body.name
    return this.createOnce(agentId, body.type, name, () =>
      this.transport.request({
        api: 'v2',
        method: 'POST',
        path: agentPath(agentId, 'sources'),
        body,
        responseSchema: sourceWire,
        operation: `add ${describeSource(body.type, name)}`,
        target: agentTarget(agentId),
      })
    )
  }

  public async addFile(agentId: string, name: string, file: SourceFile): Promise<SourceWire> {
    return this.createOnce(agentId, 'file', name, () =>
      this.transport.request({
        api: 'files',
        method: 'POST',
        path: agentPath(agentId, 'sources'),
        body: multipart({ name, file }),
        responseSchema: createdSource,
        operation: `add ${describeSource('file', name)}`,
        target: agentTarget(agentId),
      })
    )
  }

  public async update(agentId: string, sourceId: string, changes: SourceChanges): Promise<SourceWire> {
    return this.transport.request({
      api: 'v2',
      method: 'PUT',
      path: agentPath(agentId, 'sources', sourceId),
      body: changes,
      responseSchema: sourceWire,
      operation: 'update the source',
      target: sourceTarget(agentId, sourceId),
    })
  }

  /** A new name, a new file, or both; sending the same again sets the same, so it may be repeated. */
  public async updateFile(
    agentId: string,
    sourceId: string,
    fields: { name?: string; file?: SourceFile }
  ): Promise<SourceWire> {
    return this.transport.request({
      api: 'files',
      method: 'PUT',
      path: agentPath(agentId, 'sources', sourceId),
      body: multipart(fields),
      policy: 'idempotent-write',
      responseSchema: createdSource,
      operation: 'update the file source',
      target: sourceTarget(agentId, sourceId),
    })
  }

  /**
   * A repeated DELETE of a source already on its way out is refused (409 SOURCE_ALREADY_PENDING_DELETION), so a
   * DELETE whose answer was lost is not repeated blindly: the source is read first, and only a source still there
   * and not being deleted is sent again. `undefined`: the lost DELETE removed it, and nothing is left to show.
   */
  public async delete(agentId: string, sourceId: string): Promise<SourceWire | undefined> {
    const send = () =>
      this.transport.request({
        api: 'v2',
        method: 'DELETE',
        path: agentPath(agentId, 'sources', sourceId),
        policy: 'creation',
        responseSchema: sourceWire,
        operation: 'delete the source',
        target: sourceTarget(agentId, sourceId),
      })
    try {
      return await send()
    } catch (thrown) {
      if (!isLostAnswer(thrown)) throw thrown
      let now: SourceWire
      try {
        now = await this.get(agentId, sourceId)
      } catch (lookup) {
        if (lookup instanceof ChatbaseError && lookup.status === 404) return undefined
        throw thrown
      }
      return PENDING_DELETION.has(now.status) ? now : send()
    }
  }

  /**
   * A creation whose answer was lost (Chatbase may have made the source) is not sent again blindly: the agent's
   * sources of that type and name are read, and one made since the request was sent is taken as its result. Only
   * when there is none is it sent once more.
   */
  private async createOnce(
    agentId: string,
    type: string,
    name: string,
    send: () => Promise<SourceWire>
  ): Promise<SourceWire> {
    const sentAt = Date.now()
    try {
      return await send()
    } catch (thrown) {
      if (!isLostAnswer(thrown)) throw thrown
      const made = await this.findMadeSince(agentId, type, name, sentAt - CLOCK_TOLERANCE_MS).catch(() => {
        throw thrown
      })
      return made ?? send()
    }
  }

  private async findMadeSince(
    agentId: string,
    type: string,
    name: string,
    since: number
  ): Promise<SourceWire | undefined> {
    let cursor: string | undefined
    for (let pages = 0; pages < MAX_LOOKUP_PAGES; pages++) {
      const page = await this.list(agentId, { type, name, cursor, limit: MAX_PAGE_SIZE })
      const made = page.items.filter(
        (source) => source.type === type && source.name === name && Date.parse(source.createdAt) >= since
      )
      if (made.length > 0) {
        return made.reduce((newest, source) => (source.createdAt > newest.createdAt ? source : newest))
      }
      if (page.nextCursor === undefined) return undefined
      cursor = page.nextCursor
    }
    return undefined
  }
}

/** The most sources one page may hold (the spec's `limit` maximum). */
export const MAX_PAGE_SIZE = 100
