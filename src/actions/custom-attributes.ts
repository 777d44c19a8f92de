import type { ChatbaseClient } from '../chatbase/client'
import { ChatbaseError } from '../chatbase/errors'
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

/** Whether the attribute is archived now, read from the chatbot's list. */
const isArchived = async (client: ChatbaseClient, chatbotId: string, name: string): Promise<boolean> => {
  const current = (await client.listCustomAttributes(chatbotId)).find((attribute) => attribute.name === name)
  if (!current) {
    throw new ChatbaseError(
      `Could not update the custom attribute "${name}". Chatbase found no custom attribute "${name}" of chatbot "${chatbotId}" (404).`,
      'answered',
      404
    )
  }
  return current.archived ?? false
}

export const updateCustomAttribute: ActionHandler<'updateCustomAttribute'> = async ({ ctx, input }) => {
  const { chatbotId, name, ...changes } = parseInput(customAttributeActions.updateCustomAttribute, input)
  if (Object.keys(changes).length === 0) {
    throw invalidInput(customAttributeActions.updateCustomAttribute, ['give at least one field to change: label, description or archived'])
  }
  const client = chatbaseClient(ctx.configuration)
  const botId = chatbotIdOf(ctx.configuration, { chatbotId })
  // The docs give `archived` a default of false on this PUT: left out, it would bring an archived attribute back.
  const archived = changes.archived ?? (await isArchived(client, botId, name))
  const updated = await client.updateCustomAttribute(botId, name, { ...changes, archived })
  return { attribute: fromChatbaseAttribute(updated) }
}
