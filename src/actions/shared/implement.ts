import type { IntegrationProps, z } from '@botpress/sdk'
import type { ActionName, ChatbaseIntegration } from '../../definitions'
import type { Configuration } from '../../definitions/configuration'
import { configurationOf } from './context'
import { parseInput, type ActionDefinition } from './input'

type Actions = IntegrationProps<ChatbaseIntegration>['actions']
export type ActionHandler<A extends ActionName> = Actions[A]
type SdkProps<A extends ActionName> = Parameters<Actions[A]>[0]

/** What a handler gets: the SDK's props, its input parsed with its own definition, and the configuration parsed too. */
export type HandlerProps<A extends ActionName, D extends ActionDefinition> = Omit<SdkProps<A>, 'input'> & {
  input: z.output<D['input']['schema']>
  configuration: Configuration
}

type AreaDefinitions = { [A in ActionName]?: ActionDefinition }
type AreaHandlers<D extends AreaDefinitions> = {
  [A in keyof D & ActionName]: (props: HandlerProps<A, NonNullable<D[A]>>) => ReturnType<Actions[A]>
}

/**
 * The handlers of one definition area (src/definitions/actions/<area>.ts), each bound by its name to its own
 * definition: its input is parsed with that definition's schema before it runs, so no handler can validate with
 * another action's. The compiler requires a handler for every action of the area, and only those.
 */
export const implement =
  <D extends AreaDefinitions>(definitions: D) =>
  (handlers: AreaHandlers<D>): { [A in keyof D & ActionName]: ActionHandler<A> } => {
    const bound = Object.entries(handlers).map(([name, handler]) => {
      const definition = definitions[name as ActionName] as ActionDefinition
      const run = handler as (props: HandlerProps<ActionName, ActionDefinition>) => Promise<unknown>
      return [
        name,
        (props: SdkProps<ActionName>) =>
          run({ ...props, input: parseInput(definition, props.input), configuration: configurationOf(props.ctx) }),
      ]
    })
    return Object.fromEntries(bound) as { [A in keyof D & ActionName]: ActionHandler<A> }
  }
