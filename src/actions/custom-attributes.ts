import { fromChatbaseAttribute } from '../chatbase/mapping'
import { customAttributeActions } from '../definitions/custom-attributes'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

export const listCustomAttributes: ActionHandler<'listCustomAttributes'> = async ({ ctx, input }) => {
  const { chatbotId } = parseInput(customAttributeActions.listCustomAttributes, input)
  const attributes = await chatbaseClient(ctx.configuration).listCustomAttributes(chatbotIdOf(ctx.configuration, { chatbotId }))
  return { attributes: attributes.map(fromChatbaseAttribute) }
}

export const createCustomAttribute: ActionHandler<'createCustomAttribute'> = async ({ ctx, input }) => {
  const { chatbotId, ...attribute } = parseInput(customAttributeActions.createCustomAttribute, input)
  const created = await chatbaseClient(ctx.configuration).createCustomAttribute(chatbotIdOf(ctx.configuration, { chatbotId }), attribute)
  return { attribute: fromChatbaseAttribute(created) }
}

export const updateCustomAttribute: ActionHandler<'updateCustomAttribute'> = async ({ ctx, input }) => {
  const { chatbotId, name, ...changes } = parseInput(customAttributeActions.updateCustomAttribute, input)
  if (Object.keys(changes).length === 0) {
    throw invalidInput(customAttributeActions.updateCustomAttribute, ['give at least one field to change: label, description or archived'])
  }
  const updated = await chatbaseClient(ctx.configuration).updateCustomAttribute(chatbotIdOf(ctx.configuration, { chatbotId }), name, changes)
  return { attribute: fromChatbaseAttribute(updated) }
}
