import * as sdk from '@botpress/sdk'
import { createChatbot, deleteChatbot, listChatbots, updateChatbotData, updateChatbotSettings } from './actions/chatbots'
import { deleteContact, getContact, listContacts } from './actions/contacts'
import { createContact } from './actions/create-contact'
import { createContacts } from './actions/create-contacts'
import { createCustomAttribute, listCustomAttributes, updateCustomAttribute } from './actions/custom-attributes'
import { getConversations } from './actions/get-conversations'
import { getLeads } from './actions/get-leads'
import { messageChatbot } from './actions/message-chatbot'
import { updateContact } from './actions/update-contact'
import type { ChatbaseIntegration } from './definitions'
import { register, unregister } from './register'
import { handleWebhook } from './webhook/handler'

export default new sdk.Integration<ChatbaseIntegration>({
  register,
  unregister,
  actions: {
    messageChatbot,
    createContact,
    createContacts,
    updateContact,
    getContact,
    listContacts,
    deleteContact,
    listCustomAttributes,
    createCustomAttribute,
    updateCustomAttribute,
    getLeads,
    getConversations,
    listChatbots,
    createChatbot,
    updateChatbotData,
    updateChatbotSettings,
    deleteChatbot,
  },
  channels: {},
  handler: handleWebhook,
})
