import { RuntimeError } from '@botpress/sdk'
import { fromChatbaseContact, toChatbaseContactFields } from '../chatbase/mapping'
import { chatbaseClient, checkStripeAccounts, type ActionHandler } from './common'
import { parseInput } from './input'

export const createContact: ActionHandler<'createContact'> = async ({ ctx, input }) => {
  const fields = parseInput('createContact', input)
  checkStripeAccounts('createContact', fields)
  const [created] = await chatbaseClient(ctx.configuration).createContacts(ctx.configuration.chatbotId, [
    toChatbaseContactFields(fields),
  ])
  if (!created) {
    throw new RuntimeError('Could not create the contact. Chatbase answered success but returned no contact.')
  }
  return { contact: fromChatbaseContact(created) }
}
