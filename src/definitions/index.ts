import type * as sdk from '@botpress/sdk'
import type { z } from '@botpress/sdk'
import { actions } from './actions'
import { configurationSchema } from './configuration'
import { events } from './events'
import { states } from './states'

export { actions, configurationSchema, events, states }
export const INTEGRATION_NAME = 'chatbase'
export const INTEGRATION_VERSION = '0.1.0'

// Callers see the input side of each schema (a field with a default is optional), handlers the parsed side.
type ActionTypes<A extends Record<string, { input: { schema: z.ZodTypeAny }; output: { schema: z.ZodTypeAny } }>> = {
  [K in keyof A]: { input: z.input<A[K]['input']['schema']>; output: z.infer<A[K]['output']['schema']> }
}
type EventTypes<E extends Record<string, { schema: z.ZodTypeAny }>> = { [K in keyof E]: z.infer<E[K]['schema']> }
type StateTypes<S extends Record<string, { type: 'conversation' | 'user' | 'integration'; schema: z.ZodTypeAny }>> = {
  [K in keyof S]: { type: S[K]['type']; payload: z.infer<S[K]['schema']> }
}

/** The integration's types, inferred from the schemas above: what `.botpress` would generate. */
export type ChatbaseIntegration = sdk.DefaultIntegration<{
  name: typeof INTEGRATION_NAME
  version: typeof INTEGRATION_VERSION
  configuration: z.input<typeof configurationSchema>
  actions: ActionTypes<typeof actions>
  events: EventTypes<typeof events>
  states: StateTypes<typeof states>
}>

export type ActionName = keyof typeof actions
export type ActionOutput<A extends ActionName> = ChatbaseIntegration['actions'][A]['output']
