import * as sdk from '@botpress/sdk'
import { createContact } from './actions/create-contact'
import { getLeads } from './actions/get-leads'
import { messageChatbot } from './actions/message-chatbot'
import { updateContact } from './actions/update-contact'
import type { ChatbaseIntegration } from './definitions'
import { register, unregister } from './register'
import { handleWebhook } from './webhook/handler'

export default new sdk.Integration<ChatbaseIntegration>({
  register,
  unregister,
  actions: { createContact, updateContact, messageChatbot, getLeads },
  channels: {},
  handler: handleWebhook,
})
