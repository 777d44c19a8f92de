// An agent's knowledge sources (§7.5): list, get, summary, create (text, Q&A, link), update, delete and the deprecated
// restore on the API host; create and update of file sources (multipart) on the files host. Training starts on its
// own: a created or changed source is untrained (updated, when it was trained) until it has been read with GET as
// many times as setTraining says, then trained or failed.
import { randomUUID } from 'node:crypto'
import type { Slot, Store } from '../store'
import type { FormPart } from '../server'
import type { AgentsArea } from './agents'
import { invalidBody, V2Error, type V2Answer, type V2Context, type V2Route } from './core'
import { page, queryKey } from './paging'

export type SourceType = 'link' | 'file' | 'qna' | 'notionPage' | 'text'
export type SourceStatus = 'untrained' | 'trained' | 'toBeDeleted' | 'updated' | 'failed' | 'deleted'
type LinkType = 'individual' | 'sitemap' | 'crawl'
type LinkMetadata =
  | { type: 'individual' }
  | {
      type: 'sitemap' | 'crawl'
      excludePaths: string[]
      includeOnlyPaths: string[]
      slowScraping: boolean
      crawlStatus: 'fetching' | 'fetched' | 'failed'
      children: { included: number; excluded: number; failed: number }
    }

// SourceListItem, every field the spec requires
export type Source = {
  id: string
  type: SourceType
  name: string | null
  size: number
  createdAt: string
  status: SourceStatus
  metadata: LinkMetadata | null
}

// What the emulator keeps of a source besides what the API shows: its content, by type
export type StoredSource = Source & {
  content?: string // text
  questions?: string[] // qna
  answer?: string // qna
  url?: string // link
  file?: { fileName: string; contentType: string; bytes: Buffer }
}

// What a test seeds: a source as the dashboard would have made it, trained unless said otherwise
export type NewSource =
  | { type: 'text'; name: string; content: string; status?: SourceStatus; createdAt?: string }
  | { type: 'qna'; name: string; questions: string[]; answer: string; status?: SourceStatus; createdAt?: string }
  | { type: 'link'; url: string; linkType?: LinkType; status?: SourceStatus; createdAt?: string }
  | { type: 'file'; name: string; fileName: string; bytes: Buffer; status?: SourceStatus; createdAt?: string }

// How training ends, and after how many GETs of the source
export type Training = { outcome: 'trained' | 'failed'; afterPolls: number }
// The file-source create answer: bare (the spec) or in { data } (Chatbase's CLI reads body.data.id): §14.6
export type FileSourceShape = 'bare' | 'data'
// What DELETE leaves: a source purging in the background (listed, refused further edits), or none
export type Deletion = 'toBeDeleted' | 'deleted'

const DEFAULT_TRAINING: Training = { outcome: 'trained', afterPolls: 1 }
const FILE_EXTENSIONS = ['pdf', 'doc', 'docx', 'txt']
// "Max 20 MB", read loosely here (MiB): the integration refuses from 20,000,000 bytes on, before anything is sent
const MAX_FILE_BYTES = 20 * 1024 * 1024
// What a link's pages weigh once fetched; the emulator fetches nothing
const LINK_BYTES = 4096
const PENDING_DELETION = new Set<SourceStatus>(['toBeDeleted', 'deleted'])
const SUMMARY_KEYS: Record<SourceType, string> = {
  link: 'links',
  file: 'files',
  qna: 'qnas',
  notionPage: 'notionPages',
  text: 'texts',
}
const UPDATE_FIELDS: Record<string, string[]> = {
  text: ['name', 'content'],
  qna: ['name', 'questions', 'answer'],
  link: ['excludePaths', 'includeOnlyPaths', 'slowScraping'],
}

type Held = { sources: Map<string, StoredSource>; pollsLeft: Map<string, number> }

export class SourcesArea {
  training: Training = { ...DEFAULT_TRAINING }
  fileShape: FileSourceShape = 'bare'
  deletion: Deletion = 'toBeDeleted'
  storageLimitBytes: number | null = null // null: no limit
  private readonly held: Slot<Held>
  readonly routes: V2Route[] = [
    { operation: 'listSources', handle: (context) => this.list(context) },
    { operation: 'getSourcesSummary', handle: ({ params }) => this.summary(params.agentId!) },
    { operation: 'getSource', handle: ({ params }) => this.get(params.agentId!, params.sourceId!) },
    { operation: 'createSource', handle: (context) => this.create(context) },
    { operation: 'updateSource', handle: (context) => this.update(context) },
    { operation: 'deleteSource', handle: ({ params }) => this.delete(params.agentId!, params.sourceId!) },
    { operation: 'restoreSource', handle: ({ params }) => this.restore(params.agentId!, params.sourceId!) },
    { operation: 'createFileSource', handle: (context) => this.createFile(context) },
    { operation: 'updateFileSource', handle: (context) => this.updateFile(context) },
  ]

  constructor(
    store: Store,
    private readonly agents: AgentsArea
  ) {
    this.held = store.slot(() => ({ sources: new Map(), pollsLeft: new Map() }))
  }

  reset(): void {
    this.training = { ...DEFAULT_TRAINING }
    this.fileShape = 'bare'
    this.deletion = 'toBeDeleted'
    this.storageLimitBytes = null
  }

  // For tests: the agent's sources with their content, in creation order
  sources(agentId: string): StoredSource[] {
    // structuredClone would turn a file's Buffer into a plain Uint8Array
    return [...this.held.configured(agentId).sources.values()].map(({ file, ...source }) => ({
      ...structuredClone(source),
      ...(file && { file: { ...file, bytes: Buffer.from(file.bytes) } }),
    }))
  }

  add(agentId: string, source: NewSource): Source {
    const { sources } = this.held.configured(agentId)
    const stored = newSource(source)
    stored.status = source.status ?? 'trained'
    if (source.createdAt !== undefined) stored.createdAt = source.createdAt
    sources.set(stored.id, stored)
    return listItem(stored)
  }

  private of(agentId: string): Held {
    this.agents.known(agentId)
    return this.held.configured(agentId)
  }

  private known(agentId: string, sourceId: string, files = false): StoredSource {
    const source = this.of(agentId).sources.get(sourceId)
    if (!source) {
      throw files
        ? new V2Error(404, 'SOURCE_NOT_FOUND', 'Agent or source not found.')
        : new V2Error(404, 'SOURCE_NOT_FOUND', 'Source not found')
    }
    return source
  }

  private list({ params, query }: V2Context): V2Answer {
    const types = query.type?.split(',').map((type) => type.trim())
    const unknown = types?.filter((type) => !(type in SUMMARY_KEYS)) ?? []
    if (unknown.length > 0) throw invalidBody({ type: `Unknown source type(s): ${unknown.join(', ')}` })
    const name = query.name?.toLowerCase()
    const matching = [...this.of(params.agentId!).sources.values()].filter(
      (source) =>
        (types === undefined || types.includes(source.type)) &&
        (name === undefined || (source.name ?? '').toLowerCase().includes(name))
    )
    return { status: 200, json: page(matching.map(listItem), query, 20, queryKey(query)) }
  }

  private summary(agentId: string): V2Answer {
    const counts = Object.fromEntries(
      [...Object.values(SUMMARY_KEYS), 'zendeskTickets', 'salesforceCases'].map((key) => [key, { count: 0, size: 0 }])
    )
    let changed = false
    for (const source of this.of(agentId).sources.values()) {
      if (PENDING_DELETION.has(source.status)) continue
      const count = counts[SUMMARY_KEYS[source.type]]!
      count.count += 1
      count.size += source.size
      changed ||= source.status !== 'trained'
    }
    return { status: 200, json: { ...counts, shouldRetrain: changed } }
  }

  // Every GET is a poll: training lands after as many as setTraining says
  private get(agentId: string, sourceId: string): V2Answer {
    const source = this.known(agentId, sourceId)
    const { pollsLeft } = this.of(agentId)
    const left = pollsLeft.get(sourceId)
    if (left !== undefined) {
      if (left <= 1) {
        pollsLeft.delete(sourceId)
        source.status = this.training.outcome
      } else pollsLeft.set(sourceId, left - 1)
    }
    return { status: 200, json: listItem(source) }
  }

  private create({ params, json }: V2Context): V2Answer {
    const held = this.of(params.agentId!)
    const body = json as NewSource & { linkType: LinkType; excludePaths?: string[]; includeOnlyPaths?: string[] }
    if (body.type === 'link') {
      const taken = [...held.sources.values()].some(
        (source) =>
          source.url === body.url && source.metadata?.type === body.linkType && !PENDING_DELETION.has(source.status)
      )
      if (taken) throw new V2Error(409, 'SOURCE_DUPLICATE', 'A source with this URL and type already exists')
    }
    const source = newSource(body)
    this.checkStorage(held, source.size, 'Chatbot storage limit exceeded')
    return { status: 201, json: listItem(this.startTraining(held, source, 'untrained')) }
  }

  private update({ params, json }: V2Context): V2Answer {
    const held = this.of(params.agentId!)
    const source = this.known(params.agentId!, params.sourceId!)
    if (PENDING_DELETION.has(source.status)) {
      throw new V2Error(409, 'SOURCE_PENDING_DELETION', 'Source is pending deletion and cannot be edited')
    }
    const allowed = UPDATE_FIELDS[source.type]
    if (!allowed) throw invalidBody({ sourceId: `A ${source.type} source cannot be updated here` })
    const changes = json as Record<string, unknown>
    const foreign = Object.keys(changes).filter((field) => !allowed.includes(field))
    if (foreign.length > 0) {
      throw invalidBody(Object.fromEntries(foreign.map((field) => [field, `Not a field of a ${source.type} source`])))
    }
    if (Object.keys(changes).length === 0) throw invalidBody({ body: 'No fields provided' })
    // a link's settings live in its metadata; an individual link has none to change
    const updated: StoredSource =
      source.type !== 'link'
        ? { ...source, ...changes }
        : {
            ...source,
            metadata:
              source.metadata?.type === 'individual'
                ? source.metadata
                : ({ ...source.metadata, ...changes } as LinkMetadata),
          }
    updated.size = sizeOf(updated)
    this.checkStorage(held, updated.size - source.size, 'Chatbot storage limit exceeded')
    // "Content change retrains immediately (status updated until live)"; a new name alone changes no knowledge
    const renamedOnly = Object.keys(changes).every((field) => field === 'name')
    const stored = renamedOnly ? this.keep(held, updated) : this.startTraining(held, updated, 'updated')
    return { status: 200, json: listItem(stored) }
  }

  private delete(agentId: string, sourceId: string): V2Answer {
    const held = this.of(agentId)
    const source = this.known(agentId, sourceId)
    if (PENDING_DELETION.has(source.status)) {
      throw new V2Error(409, 'SOURCE_ALREADY_PENDING_DELETION', 'Source is already pending deletion')
    }
    held.pollsLeft.delete(sourceId)
    source.status = this.deletion
    if (this.deletion === 'deleted') held.sources.delete(sourceId)
    // The spec's DeletedSourceListItem adds `deleted` to the statuses but keeps SourceListItem's enum in its allOf,
    // which forbids it: the docs' "status deleted" is emulated against it
    return { status: 200, json: listItem(source), conflict: this.deletion === 'deleted' }
  }

  // Deprecated: "deletes are final… Re-create the source instead"
  private restore(agentId: string, sourceId: string): V2Answer {
    this.known(agentId, sourceId)
    const message = 'Deprecated: this endpoint does nothing. Deletes are final: re-create the source instead.'
    return { status: 200, json: { success: true, deprecated: true, message } }
  }

  private createFile({ params, parts }: V2Context): V2Answer {
    const held = this.of(params.agentId!)
    const { name, file } = formFields(parts)
    if (name === undefined || file === undefined) throw fileRefused('Missing required field')
    const source = newSource({ type: 'file', name, fileName: file.fileName, bytes: file.bytes })
    source.file!.contentType = file.contentType
    this.checkStorage(held, source.size, 'Adding this file would exceed the plan storage limit for this agent.')
    const item = listItem(this.startTraining(held, source, 'untrained'))
    return { status: 201, json: this.fileShape === 'data' ? { data: item } : item, conflict: this.fileShape === 'data' }
  }

  private updateFile({ params, parts }: V2Context): V2Answer {
    const held = this.of(params.agentId!)
    const source = this.known(params.agentId!, params.sourceId!, true)
    if (PENDING_DELETION.has(source.status)) {
      throw new V2Error(409, 'SOURCE_PENDING_DELETION', 'Source is pending deletion. Restore it before editing.')
    }
    if (source.type !== 'file') throw fileRefused('Not a file source')
    const { name, file } = formFields(parts)
    if (name === undefined && file === undefined) throw fileRefused('No fields provided')
    const updated: StoredSource = { ...source, ...(name !== undefined && { name }), ...(file && { file }) }
    updated.size = sizeOf(updated)
    this.checkStorage(
      held,
      updated.size - source.size,
      'Adding this file would exceed the plan storage limit for this agent.'
    )
    // "status updated if a previously trained file was replaced"; a new name alone changes no knowledge
    const status = source.status === 'trained' || source.status === 'updated' ? 'updated' : 'untrained'
    const stored = file ? this.startTraining(held, updated, status) : this.keep(held, updated)
    return { status: 200, json: listItem(stored) }
  }

  private keep(held: Held, source: StoredSource): StoredSource {
    held.sources.set(source.id, source)
    return source
  }

  // Stores the source as its training starts: untrained, or updated while an earlier version stays live
  private startTraining(held: Held, source: StoredSource, status: 'untrained' | 'updated'): StoredSource {
    source.status = status
    held.pollsLeft.set(source.id, this.training.afterPolls)
    return this.keep(held, source)
  }

  private checkStorage(held: Held, addedBytes: number, message: string): void {
    if (this.storageLimitBytes === null || addedBytes <= 0) return
    const used = [...held.sources.values()]
      .filter((source) => !PENDING_DELETION.has(source.status))
      .reduce((total, source) => total + source.size, 0)
    if (used + addedBytes > this.storageLimitBytes) throw new V2Error(422, 'SOURCE_SIZE_LIMIT_EXCEEDED', message)
  }
}

function listItem({ id, type, name, size, createdAt, status, metadata }: StoredSource): Source {
  return structuredClone({ id, type, name, size, createdAt, status, metadata })
}

function sizeOf(source: StoredSource): number {
  switch (source.type) {
    case 'text':
      return Buffer.byteLength(source.content ?? '')
    case 'qna':
      return Buffer.byteLength([...(source.questions ?? []), source.answer ?? ''].join('\n'))
    case 'file':
      return source.file?.bytes.length ?? 0
    default:
      return LINK_BYTES
  }
}

function newSource(
  body: NewSource & {
    linkType?: LinkType
    excludePaths?: string[]
    includeOnlyPaths?: string[]
    slowScraping?: boolean
  }
): StoredSource {
  const base = { id: randomUUID(), createdAt: new Date().toISOString(), status: 'untrained' as SourceStatus }
  let source: StoredSource
  switch (body.type) {
    case 'text':
      source = { ...base, type: 'text', name: body.name, content: body.content, size: 0, metadata: null }
      break
    case 'qna':
      source = {
        ...base,
        type: 'qna',
        name: body.name,
        questions: body.questions,
        answer: body.answer,
        size: 0,
        metadata: null,
      }
      break
    case 'file':
      source = {
        ...base,
        type: 'file',
        name: body.name,
        file: { fileName: body.fileName, contentType: 'application/octet-stream', bytes: body.bytes },
        size: 0,
        metadata: null,
      }
      break
    case 'link': {
      const linkType = body.linkType ?? 'individual'
      const metadata: LinkMetadata =
        linkType === 'individual'
          ? { type: 'individual' }
          : {
              type: linkType,
              excludePaths: body.excludePaths ?? [],
              includeOnlyPaths: body.includeOnlyPaths ?? [],
              slowScraping: body.slowScraping ?? false,
              crawlStatus: 'fetched',
              children: { included: 1, excluded: 0, failed: 0 },
            }
      source = { ...base, type: 'link', name: body.url, url: body.url, size: 0, metadata }
      break
    }
  }
  source.size = sizeOf(source)
  return source
}

// The files host's 400, whatever is wrong: "Missing required field, unsupported file type, or a file outside the
// allowed size range."
function fileRefused(detail: string): V2Error {
  return new V2Error(
    400,
    'VALIDATION_INVALID_BODY',
    'Missing required field, unsupported file type, or a file outside the allowed size range.',
    { file: detail }
  )
}

function formFields(parts: FormPart[] | undefined): {
  name?: string
  file?: { fileName: string; contentType: string; bytes: Buffer }
} {
  const name = parts?.find((part): part is { name: string; value: string } => part.name === 'name' && 'value' in part)
  const file = parts?.find((part) => part.name === 'file' && 'bytes' in part) as
    { fileName: string; contentType: string; bytes: Buffer } | undefined
  if (name !== undefined && name.value === '') throw fileRefused('Missing required field')
  if (file) {
    const extension = /\.([^.]+)$/.exec(file.fileName)?.[1]?.toLowerCase() ?? ''
    if (!FILE_EXTENSIONS.includes(extension)) throw fileRefused(`Unsupported file type: "${file.fileName}"`)
    if (file.bytes.length > MAX_FILE_BYTES) throw fileRefused('File outside the allowed size range')
    if (file.bytes.length === 0) throw fileRefused('File outside the allowed size range')
  }
  return {
    ...(name && { name: name.value }),
    ...(file && { file: { fileName: file.fileName, contentType: file.contentType, bytes: file.bytes } }),
  }
}
