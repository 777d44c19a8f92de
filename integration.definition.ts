import { IntegrationDefinition } from '@botpress/sdk'
import { actions, configurationSchema, events, INTEGRATION_NAME, INTEGRATION_VERSION, states } from './src/definitions'

export default new IntegrationDefinition({
  name: INTEGRATION_NAME,
  version: INTEGRATION_VERSION,
  title: 'Chatbase',
  description: 'Chat with your Chatbase AI agent, manage its contacts and receive the leads it collects.',
  readme: 'hub.md',
  icon: 'icon.svg',
  attributes: { category: 'Customer Support' },
  configuration: { schema: configurationSchema },
  actions,
  events,
  states,
  // The newest official CLI (zui 2) reads these zui-1 schemas only with its legacy transformer; CLI 5.5.6 ignores this.
  __advanced: { useLegacyZuiTransformer: true },
})
