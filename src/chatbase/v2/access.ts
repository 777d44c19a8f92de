import type { ChatbaseTransport } from '../transport'
import { agentPath, agentTarget } from './shared'

/** One read that fails for a wrong key (401), a plan without v2 (403) or an unknown agent (404); its body is unused. */
export const checkAgentAccess = async (transport: ChatbaseTransport, agentId: string): Promise<void> =>
  transport.request({
    api: 'v2',
    method: 'GET',
    path: agentPath(agentId),
    ignoreBody: true,
    operation: 'check the API key and Agent ID',
    target: agentTarget(agentId),
  })
