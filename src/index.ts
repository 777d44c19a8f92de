import * as sdk from '@botpress/sdk'
import { actions } from './actions'
import type { ChatbaseIntegration } from './definitions'
import { register, unregister } from './register'
import { handleWebhook } from './webhook/handler'

export default new sdk.Integration<ChatbaseIntegration>({
  register,
  unregister,
  actions,
  channels: {},
  handler: handleWebhook,
})
