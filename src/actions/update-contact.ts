import { fromChatbaseContact, toChatbaseContactFields } from '../chatbase/mapping'
import { contactActions } from '../definitions/contacts'
import { chatbaseClient, chatbotIdOf, checkStripeAccounts, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

export const updateContact: ActionHandler<'updateContact'> = async ({ ctx, input }) => {
  const { contactId, chatbotId, clearFields = [], ...fields } = parseInput(contactActions.updateContact, input)
  if (Object.keys(fields).length === 0 && clearFields.length === 0) {
    throw invalidInput(contactActions.updateContact, [
      'give at least one field to change: name, email, phoneNumber, customAttributes, stripeAccounts or clearFields',
    ])
  }
  const setAndCleared = clearFields.filter((field) => fields[field] !== undefined)
  if (setAndCleared.length > 0) {
    throw invalidInput(
      contactActions.updateContact,
      setAndCleared.map((field) => `clearFields: ${field} is also given a value; set it or clear it`)
    )
  }
  checkStripeAccounts(contactActions.updateContact, fields)
  const updated = await chatbaseClient(ctx.configuration).updateContact(
    chatbotIdOf(ctx.configuration, { chatbotId }),
    contactId,
    toChatbaseContactFields(fields, clearFields)
  )
  return { contact: fromChatbaseContact(updated) }
}
