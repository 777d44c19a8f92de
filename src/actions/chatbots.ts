import { fromChatbaseChatbot } from '../chatbase/mapping'
import { chatbotActions } from '../definitions/chatbots'
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
