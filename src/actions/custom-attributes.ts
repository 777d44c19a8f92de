import { fromChatbaseAttribute } from '../chatbase/v1/mapping'
import { customAttributeActions } from '../definitions/actions/custom-attributes'
import { chatbaseClient, chatbotIdOf } from './shared/context'
import { implement } from './shared/implement'
import { invalidInput } from './shared/input'

export default implement(customAttributeActions)({
  listCustomAttributes: async ({ input: { chatbotId }, configuration }) => {
    const attributes = await chatbaseClient(configuration).listCustomAttributes(
      chatbotIdOf(configuration, { chatbotId })
    )
    return { attributes: attributes.map(fromChatbaseAttribute) }
  },

  createCustomAttribute: async ({ input: { chatbotId, ...attribute }, configuration }) => {
    const created = await chatbaseClient(configuration).createCustomAttribute(
      chatbotIdOf(configuration, { chatbotId }),
      attribute
    )
    return { attribute: fromChatbaseAttribute(created) }
  },

  updateCustomAttribute: async ({ input: { chatbotId, name, ...changes }, configuration }) => {
    if (Object.keys(changes).length === 0) {
      throw invalidInput(customAttributeActions.updateCustomAttribute, [
        'give at least one field to change: label, description or archived',
      ])
    }
    const updated = await chatbaseClient(configuration).updateCustomAttribute(
      chatbotIdOf(configuration, { chatbotId }),
      name,
      changes
    )
    return { attribute: fromChatbaseAttribute(updated) }
  },
})
