import * as sdk from '@botpress/sdk'
import type { ChatbaseIntegration } from './definitions'
import { register, unregister } from './register'
import { handleWebhook } from './webhook/handler'

/**
 * A handler whose module is loaded at its first call, so that a cold start builds no action's schemas and an action
 * builds only those of its own area: esbuild bundles each `import()` as a module evaluated once, on first use. The
 * loaded handler keeps its type, which the SDK checks against the action's definition.
 */
const onFirstCall =
  <P, R>(load: () => Promise<(props: P) => Promise<R>>) =>
  async (props: P): Promise<R> =>
    (await load())(props)

export default new sdk.Integration<ChatbaseIntegration>({
  register,
  unregister,
  actions: {
    messageChatbot: onFirstCall(async () => (await import('./actions/message-chatbot')).messageChatbot),
    createContact: onFirstCall(async () => (await import('./actions/create-contact')).createContact),
    createContacts: onFirstCall(async () => (await import('./actions/create-contacts')).createContacts),
    updateContact: onFirstCall(async () => (await import('./actions/update-contact')).updateContact),
    getContact: onFirstCall(async () => (await import('./actions/contacts')).getContact),
    listContacts: onFirstCall(async () => (await import('./actions/contacts')).listContacts),
    deleteContact: onFirstCall(async () => (await import('./actions/contacts')).deleteContact),
    listCustomAttributes: onFirstCall(async () => (await import('./actions/custom-attributes')).listCustomAttributes),
    createCustomAttribute: onFirstCall(async () => (await import('./actions/custom-attributes')).createCustomAttribute),
    updateCustomAttribute: onFirstCall(async () => (await import('./actions/custom-attributes')).updateCustomAttribute),
    getLeads: onFirstCall(async () => (await import('./actions/get-leads')).getLeads),
    getConversations: onFirstCall(async () => (await import('./actions/get-conversations')).getConversations),
    listChatbots: onFirstCall(async () => (await import('./actions/chatbots')).listChatbots),
    createChatbot: onFirstCall(async () => (await import('./actions/chatbots')).createChatbot),
    updateChatbotData: onFirstCall(async () => (await import('./actions/chatbots')).updateChatbotData),
    updateChatbotSettings: onFirstCall(async () => (await import('./actions/chatbots')).updateChatbotSettings),
    deleteChatbot: onFirstCall(async () => (await import('./actions/chatbots')).deleteChatbot),
    uploadChatbotIcon: onFirstCall(async () => (await import('./actions/chatbots')).uploadChatbotIcon),
    uploadChatbotProfilePicture: onFirstCall(async () => (await import('./actions/chatbots')).uploadChatbotProfilePicture),
    deleteChatbotIcon: onFirstCall(async () => (await import('./actions/chatbots')).deleteChatbotIcon),
    deleteChatbotProfilePicture: onFirstCall(async () => (await import('./actions/chatbots')).deleteChatbotProfilePicture),
  },
  channels: {},
  handler: handleWebhook,
})
