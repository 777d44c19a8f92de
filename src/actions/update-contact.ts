import { fromChatbaseContact, toChatbaseContactFields } from '../chatbase/mapping'
import { contactActions } from '../definitions/contacts'
import { chatbaseClient, chatbotIdOf, checkStripeAccounts, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

export const updateContact: ActionHandler<'updateContact'> = async ({ ctx, input }) => {
  const { contactId, chatbotId, ...fields } = parseInput(contactActions.updateContact, input)
  if (Object.keys(fields).length === 0) {
    throw invalidInput(contactActions.updateContact, [
      'give at least one field to change: name, email, phoneNumber, customAttributes or stripeAccounts',
    ])
  }
  checkStripeAccounts(contactActions.updateContact, fields)
  const updated = await chatbaseClient(ctx.configuration).updateContact(
    chatbotIdOf(ctx.configuration, { chatbotId }),
    contactId,
    toChatbaseContactFields(fields)
  )
  return { contact: fromChatbaseContact(updated) }
}
