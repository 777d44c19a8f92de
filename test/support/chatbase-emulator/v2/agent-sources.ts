// The text and link sources of an agent (§7.5) that the agent cards add and replace: create (text, link), list (by
// type and name) and update. The agent's other source kinds (files, Q&A) and the rest of the sources API are left to a
// sources area; this one keeps only what those cards need.
import { randomUUID } from 'node:crypto'
import type { Slot, Store } from '../store'
import type { AgentsArea } from './agents'
import { V2Error, type V2Answer, type V2Context, type V2Route } from './core'
import { page } from './paging'

type Source = {
  id: string
  type: 'text' | 'link'
  name: string | null
  size: number
  createdAt: string
  status: 'untrained' | 'trained' | 'updated'
  metadata: { type: 'individual' } | null
  content?: string // kept out of the answers, as Chatbase does
}

export class AgentSourcesArea {
  private readonly sources: Slot<Source[]>
  readonly routes: V2Route[] = [
    { operation: 'createSource', handle: (context) => this.create(context) },
    { operation: 'listSources', handle: (context) => this.list(context) },
    { operation: 'updateSource', handle: (context) => this.update(context) },
  ]

  constructor(
    store: Store,
    private readonly agents: AgentsArea
  ) {
    this.sources = store.slot(() => [])
  }

  private create({ params, json }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const body = json as { type: string; name?: string; content?: string; url?: string }
    const sources = this.sources.known(params.agentId!)
    if (body.type === 'link' && sources.some((source) => source.type === 'link' && source.name === body.url)) {
      throw new V2Error(409, 'SOURCE_DUPLICATE', 'A source with this URL and type already exists')
    }
    if (body.type !== 'text' && body.type !== 'link') {
      throw new V2Error(400, 'VALIDATION_INVALID_BODY', 'Invalid request', { type: 'Not emulated here' })
    }
    const source: Source = {
      id: randomUUID(),
      type: body.type,
      name: body.type === 'text' ? (body.name ?? null) : (body.url ?? null),
      size: Buffer.byteLength(body.content ?? ''),
      createdAt: new Date().toISOString(),
      status: 'untrained',
      metadata: body.type === 'link' ? { type: 'individual' } : null,
      ...(body.content !== undefined && { content: body.content }),
    }
    sources.push(source)
    return { status: 201, json: view(source) }
  }

  // type: comma-separated kinds; name: a case-insensitive part of the name
  private list({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const types = query.type?.split(',')
    const name = query.name?.toLowerCase()
    const matching = this.sources
      .known(params.agentId!)
      .filter((source) => !types || types.includes(source.type))
      .filter((source) => name === undefined || (source.name ?? '').toLowerCase().includes(name))
    return { status: 200, json: page(matching.map(view), query, 20, JSON.stringify([query.type, query.name])) }
  }

  private update({ params, json }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const source = this.sources.known(params.agentId!).find((candidate) => candidate.id === params.sourceId)
    if (!source) throw new V2Error(404, 'AGENT_NOT_FOUND', 'Agent not found')
    const body = json as { name?: string; content?: string }
    if (body.name !== undefined) source.name = body.name
    if (body.content !== undefined) {
      source.content = body.content
      source.size = Buffer.byteLength(body.content)
      source.status = 'updated'
    }
    return { status: 200, json: view(source) }
  }
}

function view({ content: _content, ...source }: Source): Omit<Source, 'content'> {
  return source
}
