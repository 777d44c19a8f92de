import { z } from '@botpress/sdk'
import { MANAGED_TEXT_SOURCE_NAME } from '../../definitions/constants'
import { ChatbaseError } from '../errors'
import type { ChatbaseTransport } from '../transport'
import type { ChatbaseSources } from './sources'
import { agentPath, agentTarget, bareOrData, cursorPage, type CursorPage } from './shared'

/*
 * API v2's AI agents (§7.2 of the reference): list, get, create, update, delete, styles, auto-retrain and clone, and
 * the two kinds of source the chatbot cards add for v1's sourceText and urlsToScrape. Answers are read tolerantly:
 * an agent keeps every field Chatbase sends, and its `model` is any text (the list of models changes often, and an
 * old agent may run a retired one).
 */

/** The largest page GET /agents gives. */
export const AGENTS_PAGE_SIZE = 100

const agentWire = z
  .object({
    id: z.string().min(1),
    name: z.string().nullish(),
    model: z.string().nullish(),
    visibility: z.string().nullish(),
    instructions: z.string().nullish(),
    createdAt: z.string().nullish(),
  })
  .passthrough()
export type AgentWire = z.infer<typeof agentWire>

const createdWire = bareOrData(
  z.object({ id: z.string().min(1), pendingSteps: z.array(z.string()).nullish() }).passthrough()
)
export type AgentCreated = { id: string; pendingSteps: string[] }

/** The fields of an agent that PUT /agents/{id} takes, as v2 names them; absent ones are left as they are. */
export type AgentUpdate = Partial<{
  name: string
  instructions: string
  model: string
  temp: number
  visibility: string
  allowedDomains: string[] | null
  suggestedMessages: { type: 'single'; text: string; order: number }[] | null
  initialMessages: string[]
  creditLimit: number | null
  notificationsSettings: unknown
  ipRateLimits: { limit?: number; timeframe?: number; message?: string } | null
  spamSettings: { enabled: boolean; prompt: string } | null
  blockedCountries: string[] | null
}>

export type AgentCreation = {
  name: string
  url?: string
  instructions?: string
  model?: string
  temp?: number
  visibility?: string
}

const created = (answer: z.infer<typeof createdWire>): AgentCreated => ({
  id: answer.id,
  pendingSteps: answer.pendingSteps ?? [],
})

export class AgentsApi {
  public constructor(private readonly transport: ChatbaseTransport) {}

  public async listPage(cursor: string | undefined, limit: number): Promise<CursorPage<AgentWire>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: '/agents',
      query: { cursor, limit },
      responseSchema: cursorPage(agentWire),
      operation: 'list the AI agents',
      target: 'AI agents of the workspace of this API key',
    })
  }

  public async get(agentId: string): Promise<AgentWire> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId),
      responseSchema: bareOrData(agentWire),
      operation: 'read the AI agent',
      target: agentTarget(agentId),
    })
  }

  /** A creation: never sent again after a failure that may have reached Chatbase. */
  public async create(body: AgentCreation): Promise<AgentCreated> {
    const answer = await this.transport.request({
      api: 'v2',
      method: 'POST',
      path: '/agents',
      body,
      policy: 'creation',
      responseSchema: createdWire,
      operation: `create the AI agent "${body.name}"`,
      target: 'workspace of this API key',
    })
    return created(answer)
  }

  public async clone(agentId: string): Promise<AgentCreated> {
    const answer = await this.transport.request({
      api: 'v2',
      method: 'POST',
      path: agentPath(agentId, 'clone'),
      policy: 'creation',
      responseSchema: createdWire,
      operation: 'clone the AI agent',
      target: agentTarget(agentId),
    })
    return created(answer)
  }

  /** "Only provided fields are changed": sending the same again changes nothing more. */
  public async update(agentId: string, body: AgentUpdate): Promise<void> {
    await this.transport.request({
      api: 'v2',
      method: 'PUT',
      path: agentPath(agentId),
      body,
      policy: 'idempotent-write',
      ignoreBody: true,
      operation: 'update the AI agent',
      target: agentTarget(agentId),
    })
  }

  public async updateStyles(agentId: string, styles: Record<string, unknown>): Promise<void> {
    await this.transport.request({
      api: 'v2',
      method: 'PUT',
      path: agentPath(agentId, 'styles'),
      body: { styles },
      policy: 'idempotent-write',
      ignoreBody: true,
      operation: "update the AI agent's styles",
      target: agentTarget(agentId),
    })
  }

  public async setAutoRetrain(agentId: string, enabled: boolean): Promise<void> {
    await this.transport.request({
      api: 'v2',
      method: 'PUT',
      path: agentPath(agentId, 'auto-retrain'),
      body: { enabled },
      policy: 'idempotent-write',
      ignoreBody: true,
      operation: `turn ${enabled ? 'on' : 'off'} auto-retrain`,
      target: agentTarget(agentId),
    })
  }

  /** A 404 after an attempt that may have gone through means that attempt deleted it. */
  public async delete(agentId: string): Promise<void> {
    await this.transport.request({
      api: 'v2',
      method: 'DELETE',
      path: agentPath(agentId),
      ignoreBody: true,
      goneMeansDone: true,
      operation: 'delete the AI agent',
      target: agentTarget(agentId),
    })
  }
}

/**
 * The sources the agent cards manage, through the sources area's calls: v1's pages to scrape as link sources, and
 * its source text as one text source found again by name.
 */
export class ManagedSources {
  public constructor(private readonly sources: ChatbaseSources) {}

  /** One web page Chatbase reads, as v1's urlsToScrape did. One that already exists counts as added. */
  public async addPage(agentId: string, url: string): Promise<void> {
    try {
      await this.sources.add(agentId, { type: 'link', url, linkType: 'individual' })
    } catch (thrown) {
      if (!(thrown instanceof ChatbaseError && thrown.chatbaseCode === 'SOURCE_DUPLICATE')) throw thrown
    }
  }

  /** The source text: the managed text source's content replaced, or that source added when the agent has none. */
  public async setText(agentId: string, content: string): Promise<void> {
    const page = await this.sources.list(agentId, {
      type: 'text',
      name: MANAGED_TEXT_SOURCE_NAME,
      limit: AGENTS_PAGE_SIZE,
    })
    // The name filter matches parts of names: only the exact one is ours.
    const managed = page.items.find((source) => source.name === MANAGED_TEXT_SOURCE_NAME)
    await (managed === undefined
      ? this.sources.add(agentId, { type: 'text', name: MANAGED_TEXT_SOURCE_NAME, content })
      : this.sources.update(agentId, managed.id, { content }))
  }
}

/** An agent as the cards give it: the fields every API has by name, every other one in `settings`, nothing lost. */
export const fromAgent = (agent: AgentWire) => {
  const { id, name, createdAt, model, visibility, instructions, ...settings } = agent
  return {
    id,
    name: name ?? undefined,
    createdAt: createdAt ?? undefined,
    model: model ?? undefined,
    visibility: visibility ?? undefined,
    instructions: instructions ?? undefined,
    settings,
  }
}
