// The agents (§7.2, §9.1): list, get, create, update, delete, styles, auto-retrain, clone and the deprecated train.
// An agent is a chatbot of the v1 side under the same id: both live in the shared store, so a chatbot the emulator
// is configured with is an agent here, and deleting either deletes both. Their settings are kept apart (v1's
// update-chatbot-settings does not change the Agent).
import { randomBytes } from 'node:crypto'
import type { Slot, Store } from '../store'
import { agentNotFound, V2Error, type V2Api, type V2Answer, type V2Context, type V2Route } from './core'
import { page } from './paging'

type Json = Record<string, unknown>
type Styles = { chat: Json | null; centerStage: Json | null }

// GET /agents/{agentId}, every field the spec requires (§9.1)
export type Agent = {
  id: string
  name: string
  instructions: string
  channelInstructions: Json | null
  model: string
  autoRetrain: boolean
  temp: number
  visibility: 'public' | 'private'
  allowedDomains: string[] | null
  suggestedMessages: Json[] | null
  initialMessages: string[]
  creditLimit: number | null
  creditsUsed: number
  notificationsSettings: Json | null
  ipRateLimits: { limit: number; timeframe: number; message: string }
  spamSettings: Json | null
  blockedCountries: string[] | null
  voiceSettings: Json | null
  styles: Styles | null
  createdAt: string // ISO 8601, like every agent timestamp
  lastMessageAt: string | null
  lastTrainedAt: string | null
  status: 'untrained' | 'training' | 'failed' | 'trained'
  size: number
}

// The docs give no defaults: v1's example values where v1 has them (initial message, IP limit, colours), else off
const DEFAULT_IP_RATE_LIMITS = { limit: 20, timeframe: 240, message: 'Too many messages in a row' }

export class AgentsArea {
  private readonly agents: Slot<Agent>
  readonly routes: V2Route[] = [
    { operation: 'listAgents', handle: ({ query }) => ({ status: 200, json: page(this.agents.all(), query, 20) }) },
    { operation: 'createAgent', handle: (context) => this.create(context) },
    { operation: 'getAgent', handle: ({ params }) => ({ status: 200, json: this.known(params.agentId!) }) },
    { operation: 'updateAgent', handle: (context) => this.update(context) },
    { operation: 'deleteAgent', handle: (context) => this.delete(context) },
    { operation: 'updateAgentStyles', handle: (context) => this.updateStyles(context) },
    { operation: 'updateAgentAutoRetrain', handle: (context) => this.updateAutoRetrain(context) },
    { operation: 'cloneAgent', handle: (context) => this.clone(context) },
    { operation: 'trainAgent', handle: (context) => this.train(context) },
  ]

  constructor(
    private readonly store: Store,
    private readonly v2: V2Api
  ) {
    // a chatbot made on the v1 side (configured, or create-chatbot with its text) has been trained
    this.agents = store.slot((id, name) => newAgent(id, name, 'trained'))
  }

  agent(agentId: string): Agent | undefined {
    const agent = this.agents.find(agentId)
    return agent && structuredClone(agent)
  }

  // The agent of a route; Chatbase's 404 when there is none
  known(agentId: string): Agent {
    const agent = this.agents.find(agentId)
    if (!agent) throw agentNotFound()
    return agent
  }

  // What a chat turn changes on its agent
  recordChat(agentId: string, credits: number): void {
    const agent = this.known(agentId)
    agent.creditsUsed += credits
    agent.lastMessageAt = new Date().toISOString()
  }

  // With a url, Chatbase adds it as a link source and queues training: the agent is training until it lands
  private create({ json }: V2Context): V2Answer {
    const body = json as Partial<Agent> & { name: string; url?: string }
    const id = newAgentId()
    this.store.addChatbot(id, body.name)
    const agent = this.agents.known(id)
    Object.assign(agent, newAgent(id, body.name, body.url === undefined ? 'untrained' : 'training'))
    for (const key of ['instructions', 'model', 'temp', 'visibility'] as const) {
      if (body[key] !== undefined) Object.assign(agent, { [key]: body[key] })
    }
    return { status: 201, json: { id } }
  }

  // "Only provided fields are changed"; ipRateLimits is merged, and null puts its defaults back
  private update({ params, json }: V2Context): V2Answer {
    const agent = this.known(params.agentId!)
    const { ipRateLimits, ...rest } = json as Partial<Agent> & { ipRateLimits?: Partial<Agent['ipRateLimits']> | null }
    // a field UpdateAgentBody does not name passes its schema (Chatbase strips it): only its own are applied
    Object.assign(agent, Object.fromEntries(Object.entries(rest).filter(([key]) => UPDATABLE.has(key))))
    if (ipRateLimits === null) agent.ipRateLimits = { ...DEFAULT_IP_RATE_LIMITS }
    else if (ipRateLimits) Object.assign(agent.ipRateLimits, ipRateLimits)
    return success()
  }

  private delete({ params }: V2Context): V2Answer {
    this.known(params.agentId!)
    this.store.deleteChatbot(params.agentId!)
    return success()
  }

  // chat and centerStage are each merged into what the agent has
  private updateStyles({ params, json }: V2Context): V2Answer {
    const agent = this.known(params.agentId!)
    const { styles } = json as { styles: Partial<Styles> }
    const current = (agent.styles ??= { chat: null, centerStage: null })
    for (const key of ['chat', 'centerStage'] as const) {
      if (styles[key]) current[key] = { ...current[key], ...styles[key] }
    }
    return success()
  }

  private updateAutoRetrain({ params, json }: V2Context): V2Answer {
    const agent = this.known(params.agentId!)
    const { enabled } = json as { enabled: boolean }
    if (this.v2.planAccess === 'no-auto-retrain') {
      throw new V2Error(403, 'PLAN_FEATURE_NOT_AVAILABLE', 'This feature is not available on your current plan')
    }
    if (enabled && agent.lastTrainedAt === null) {
      throw new V2Error(
        409,
        'AGENT_NOT_TRAINED',
        'Agent has not been trained yet. Train the agent before enabling auto-retrain.'
      )
    }
    agent.autoRetrain = enabled
    return success()
  }

  // An independent copy under a new id, with the original's settings; usage and activity start afresh
  private clone({ params }: V2Context): V2Answer {
    const original = this.known(params.agentId!)
    const id = newAgentId()
    this.store.addChatbot(id, original.name)
    Object.assign(this.agents.known(id), structuredClone(original), {
      id,
      createdAt: new Date().toISOString(),
      creditsUsed: 0,
      lastMessageAt: null,
    })
    return { status: 201, json: { id } }
  }

  // Deprecated: "The call does nothing and always succeeds"
  private train({ params }: V2Context): V2Answer {
    this.known(params.agentId!)
    const message = 'Sources train as soon as they are created, updated or deleted; this endpoint does nothing.'
    return { status: 200, json: { success: true, deprecated: true, message } }
  }
}

const UPDATABLE = new Set([
  'name',
  'instructions',
  'channelInstructions',
  'model',
  'temp',
  'visibility',
  'allowedDomains',
  'suggestedMessages',
  'initialMessages',
  'creditLimit',
  'notificationsSettings',
  'spamSettings',
  'voiceSettings',
  'blockedCountries',
])

const success = (): V2Answer => ({ status: 200, json: { success: true } })

// Opaque, 21 characters of nanoid's alphabet like the docs' example 5QHA6VB-DIAbBhxwqxfdi
function newAgentId(): string {
  return randomBytes(16).toString('base64url').slice(0, 21)
}

function newAgent(id: string, name: string, status: 'untrained' | 'training' | 'trained'): Agent {
  const createdAt = new Date().toISOString()
  return {
    id,
    name,
    instructions: '',
    channelInstructions: null,
    model: 'gpt-4o-mini',
    autoRetrain: false,
    temp: 0,
    visibility: 'private',
    allowedDomains: null,
    suggestedMessages: null,
    initialMessages: ['Hi! What can I help you with?'],
    creditLimit: null,
    creditsUsed: 0,
    notificationsSettings: null,
    ipRateLimits: { ...DEFAULT_IP_RATE_LIMITS },
    spamSettings: null,
    blockedCountries: null,
    voiceSettings: null,
    styles: {
      chat: { theme: 'light', userMessageColor: '#3B81F7', buttonColor: '#3B81F7', displayName: name },
      centerStage: null,
    },
    createdAt,
    lastMessageAt: null,
    lastTrainedAt: status === 'trained' ? createdAt : null,
    status,
    size: 0,
  }
}
