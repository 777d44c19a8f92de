import { RuntimeError } from '@botpress/sdk'
import { fromChatbaseContact } from '../chatbase/mapping'
import { contactActions } from '../definitions/contacts'
import { chatbaseClient, chatbotIdOf, checkStripeAccounts, type ActionHandler } from './common'
import { ContactImport } from './create-contacts'
import { parseInput } from './input'

/**
 * A one-contact import: when Chatbase's answer is lost, the import checks whether the contact was created before
 * sending it again, and an earlier identical creation (same external id and email) is returned instead of a 409.
 */
export const createContact: ActionHandler<'createContact'> = async ({ ctx, input }) => {
  const { chatbotId, ...fields } = parseInput(contactActions.createContact, input)
  checkStripeAccounts(contactActions.createContact, fields)
  const contactImport = new ContactImport(chatbaseClient(ctx.configuration), chatbotIdOf(ctx.configuration, { chatbotId }))
  const { failed } = await contactImport.run([fields], 1)
  const created = contactImport.contactAt(0)
  if (!created) {
    throw new RuntimeError(`Could not create the contact. ${failed[0]?.reason ?? 'Chatbase returned no contact.'}`)
  }
  return { contact: fromChatbaseContact(created) }
}
