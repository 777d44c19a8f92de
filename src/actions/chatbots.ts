import type { ChatbotImage } from '../chatbase/client'
import { fromChatbaseChatbot } from '../chatbase/mapping'
import { chatbotActions } from '../definitions/chatbots'
import type { Configuration } from '../definitions/configuration'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

export const listChatbots: ActionHandler<'listChatbots'> = async ({ ctx, input }) => {
  parseInput(chatbotActions.listChatbots, input)
  const chatbots = await chatbaseClient(ctx.configuration).listChatbots()
  return { chatbots: chatbots.map(fromChatbaseChatbot) }
}

export const createChatbot: ActionHandler<'createChatbot'> = async ({ ctx, input }) => {
  const chatbotId = await chatbaseClient(ctx.configuration).createChatbot(parseInput(chatbotActions.createChatbot, input))
  return { chatbotId }
}

export const updateChatbotData: ActionHandler<'updateChatbotData'> = async ({ ctx, input }) => {
  const { chatbotId, ...data } = parseInput(chatbotActions.updateChatbotData, input)
  const updatedId = await chatbaseClient(ctx.configuration).updateChatbotData({
    chatbotId: chatbotIdOf(ctx.configuration, { chatbotId }),
    ...data,
  })
  return { chatbotId: updatedId }
}

export const updateChatbotSettings: ActionHandler<'updateChatbotSettings'> = async ({ ctx, input }) => {
  const { chatbotId, temperature, ...settings } = parseInput(chatbotActions.updateChatbotSettings, input)
  if (Object.keys(settings).length === 0 && temperature === undefined) {
    throw invalidInput(chatbotActions.updateChatbotSettings, ['give at least one setting to change'])
  }
  const targetId = chatbotIdOf(ctx.configuration, { chatbotId })
  // Chatbase names the temperature `temp` here; every other setting keeps its Chatbase name.
  await chatbaseClient(ctx.configuration).updateChatbotSettings({ chatbotId: targetId, ...settings, temp: temperature })
  return { chatbotId: targetId }
}

export const deleteChatbot: ActionHandler<'deleteChatbot'> = async ({ ctx, input }) => {
  const { chatbotId } = parseInput(chatbotActions.deleteChatbot, input)
  await chatbaseClient(ctx.configuration).deleteChatbot(chatbotId)
  return { chatbotId }
}

type ImageActionProps = { ctx: { configuration: Configuration }; input: unknown }

const uploadImage = async (
  image: ChatbotImage,
  action: typeof chatbotActions.uploadChatbotIcon | typeof chatbotActions.uploadChatbotProfilePicture,
  { ctx, input }: ImageActionProps
) => {
  const { fileUrl, chatbotId } = parseInput(action, input)
  const targetId = chatbotIdOf(ctx.configuration, { chatbotId })
  const client = chatbaseClient(ctx.configuration)
  const file = await client.downloadImage(fileUrl)
  await client.uploadChatbotImage(image, targetId, file)
  return { chatbotId: targetId, fileName: file.fileName, size: file.bytes.length }
}

const deleteImage = async (
  image: ChatbotImage,
  action: typeof chatbotActions.deleteChatbotIcon | typeof chatbotActions.deleteChatbotProfilePicture,
  { ctx, input }: ImageActionProps
) => {
  const targetId = chatbotIdOf(ctx.configuration, parseInput(action, input))
  await chatbaseClient(ctx.configuration).deleteChatbotImage(image, targetId)
  return { chatbotId: targetId }
}

export const uploadChatbotIcon: ActionHandler<'uploadChatbotIcon'> = (props) => uploadImage('icon', chatbotActions.uploadChatbotIcon, props)
export const uploadChatbotProfilePicture: ActionHandler<'uploadChatbotProfilePicture'> = (props) =>
  uploadImage('profilePicture', chatbotActions.uploadChatbotProfilePicture, props)
export const deleteChatbotIcon: ActionHandler<'deleteChatbotIcon'> = (props) => deleteImage('icon', chatbotActions.deleteChatbotIcon, props)
export const deleteChatbotProfilePicture: ActionHandler<'deleteChatbotProfilePicture'> = (props) =>
  deleteImage('profilePicture', chatbotActions.deleteChatbotProfilePicture, props)
