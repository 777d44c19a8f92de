import type { ChatbotImage } from '../chatbase/client'
import { fromChatbaseChatbot } from '../chatbase/mapping'
import { chatbotActions } from '../definitions/actions/chatbots'
import type { Configuration } from '../definitions/configuration'
import { chatbaseClient, chatbotIdOf } from './shared/context'
import { implement } from './shared/implement'
import { invalidInput } from './shared/input'

type ImageProps<I = object> = { input: I & { chatbotId?: string }; configuration: Configuration }

const uploadImage = async (image: ChatbotImage, { input, configuration }: ImageProps<{ fileUrl: string }>) => {
  const targetChatbotId = chatbotIdOf(configuration, input)
  const client = chatbaseClient(configuration)
  const file = await client.downloadImage(input.fileUrl)
  await client.uploadChatbotImage(image, targetChatbotId, file)
  return { chatbotId: targetChatbotId, fileName: file.fileName, size: file.bytes.length }
}

const deleteImage = async (image: ChatbotImage, { input, configuration }: ImageProps) => {
  const targetChatbotId = chatbotIdOf(configuration, input)
  await chatbaseClient(configuration).deleteChatbotImage(image, targetChatbotId)
  return { chatbotId: targetChatbotId }
}

export default implement(chatbotActions)({
  listChatbots: async ({ configuration }) => {
    const chatbots = await chatbaseClient(configuration).listChatbots()
    return { chatbots: chatbots.map(fromChatbaseChatbot) }
  },

  createChatbot: async ({ input, configuration }) => ({
    chatbotId: await chatbaseClient(configuration).createChatbot(input),
  }),

  updateChatbotData: async ({ input: { chatbotId, ...data }, configuration }) => {
    const updatedId = await chatbaseClient(configuration).updateChatbotData({
      chatbotId: chatbotIdOf(configuration, { chatbotId }),
      ...data,
    })
    return { chatbotId: updatedId }
  },

  updateChatbotSettings: async ({ input: { chatbotId, temperature, ...settings }, configuration }) => {
    if (Object.keys(settings).length === 0 && temperature === undefined) {
      throw invalidInput(chatbotActions.updateChatbotSettings, ['give at least one setting to change'])
    }
    const targetChatbotId = chatbotIdOf(configuration, { chatbotId })
    // Chatbase names the temperature `temp` here; every other setting keeps its Chatbase name.
    await chatbaseClient(configuration).updateChatbotSettings({
      chatbotId: targetChatbotId,
      ...settings,
      temp: temperature,
    })
    return { chatbotId: targetChatbotId }
  },

  deleteChatbot: async ({ input: { chatbotId }, configuration }) => {
    await chatbaseClient(configuration).deleteChatbot(chatbotId)
    return { chatbotId }
  },

  uploadChatbotIcon: (props) => uploadImage('icon', props),
  uploadChatbotProfilePicture: (props) => uploadImage('profilePicture', props),
  deleteChatbotIcon: (props) => deleteImage('icon', props),
  deleteChatbotProfilePicture: (props) => deleteImage('profilePicture', props),
})
