import { fromChatbaseContact, toChatbaseContactFields } from '../chatbase/mapping'
import { chatbaseClient, chatbotIdOf, checkStripeAccounts, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

export const updateContact: ActionHandler<'updateContact'> = async ({ ctx, input }) => {
  const { contactId, chatbotId, ...fields } = parseInput('updateContact', input)
  if (Object.keys(fields).length === 0) {
    throw invalidInput('updateContact', [
      'give at least one field to change: name, email, phoneNumber, customAttributes or stripeAccounts',
    ])
  }
  checkStripeAccounts('updateContact', fields)
  const updated = await chatbaseClient(ctx.configuration).updateContact(
    chatbotIdOf(ctx.configuration, { chatbotId }),
    contactId,
    toChatbaseContactFields(fields)
  )
  return { contact: fromChatbaseContact(updated) }
}
