import { IntegrationDefinition } from '@botpress/sdk'
import { actions, configurationSchema, events, INTEGRATION_NAME, INTEGRATION_VERSION, states } from './src/definitions'

export default new IntegrationDefinition({
  name: INTEGRATION_NAME,
  version: INTEGRATION_VERSION,
  title: 'Chatbase',
  description: 'Chat with your Chatbase AI agent, manage its contacts and receive the leads it collects.',
  readme: 'hub.md',
  icon: 'icon.svg',
  attributes: { category: 'AI Models' },
  configuration: { schema: configurationSchema },
  actions,
  events,
  states,
})
