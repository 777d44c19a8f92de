import { onApi, type V2OnlyCard } from '../../chatbase/api-choice'
import type { ChatbaseTransport } from '../../chatbase/transport'
import type { Configuration } from '../../definitions/configuration'
import type { Deadline } from '../../deadline'
import { actionDeadline, chatbaseTransport, chatbotIdOf } from './context'

/** What a card only API v2 has works with: a transport holding the card's deadline, and the card's AI agent. */
export type V2Work = { transport: ChatbaseTransport; agentId: string; deadline: Deadline }

/** Runs a card that only API v2 has (onApi): on a plan without v2 it fails, naming the plan it needs. */
export const onV2Only = <A extends V2OnlyCard, T>(
  card: { name: A; title: string },
  { configuration, input }: { configuration: Configuration; input: { chatbotId?: string } },
  run: (work: V2Work) => Promise<T>
): Promise<T> => {
  const deadline = actionDeadline(configuration)
  const work = {
    transport: chatbaseTransport(configuration, deadline),
    agentId: chatbotIdOf(configuration, input),
    deadline,
  }
  return onApi<A, T>(configuration, card, { v2: () => run(work) } as Parameters<typeof onApi<A, T>>[2])
}
