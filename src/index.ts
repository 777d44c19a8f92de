import * as sdk from '@botpress/sdk'
import { actions } from './actions'
import type { ChatbaseIntegration } from './definitions'
import { handleWebhook } from './webhook/handler'

type Props = sdk.IntegrationProps<ChatbaseIntegration>

// Loaded when Botpress installs or removes the integration, like the actions at their first call: a cold start that
// serves a card or a webhook builds neither the configuration's schemas nor Chatbase's.
const register: Props['register'] = async (props) => (await import('./register')).register(props)
const unregister: Props['unregister'] = async (props) => (await import('./register')).unregister(props)

export default new sdk.Integration<ChatbaseIntegration>({
  register,
  unregister,
  actions,
  channels: {},
  handler: handleWebhook,
})
