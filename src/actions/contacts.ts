import { RuntimeError } from '@botpress/sdk'
import { fromChatbaseContact, toChatbaseContactFields, type ContactFields } from '../chatbase/v1/mapping'
import { contactActions } from '../definitions/actions/contacts'
import { ContactImport } from './contact-import'
import { chatbaseClient, chatbotIdOf } from './shared/context'
import { implement } from './shared/implement'
import { invalidInput, refuseProblems } from './shared/input'
import { collectPages } from './shared/paging'

/** The rule the schema cannot state: Chatbase needs a customer id or an email on every Stripe account. */
const stripeAccountProblems = (fields: ContactFields, at = ''): string[] =>
  (fields.stripeAccounts ?? []).flatMap((account, index) =>
    account.stripeId || account.stripeEmail ? [] : [`${at}stripeAccounts.${index}: needs stripeId or stripeEmail`]
  )

export default implement(contactActions)({
  /**
   * A one-contact import: when Chatbase's answer is lost, the import checks whether the contact was created before
   * sending it again, and an earlier identical creation (same external id and email) is returned instead of a 409.
   */
  createContact: async ({ input: { chatbotId, ...fields }, configuration }) => {
    refuseProblems(contactActions.createContact, stripeAccountProblems(fields))
    const contactImport = new ContactImport(chatbaseClient(configuration), chatbotIdOf(configuration, { chatbotId }))
    const { failed } = await contactImport.run([fields], 1)
    const created = contactImport.contactAt(0)
    if (!created) {
      throw new RuntimeError(`Could not create the contact. ${failed[0]?.reason ?? 'Chatbase returned no contact.'}`)
    }
    return { contact: fromChatbaseContact(created) }
  },

  createContacts: async ({ input: { contacts, concurrency, chatbotId }, configuration }) => {
    refuseProblems(
      contactActions.createContacts,
      contacts.flatMap((contact, index) => stripeAccountProblems(contact, `contacts.${index}.`))
    )
    return new ContactImport(chatbaseClient(configuration), chatbotIdOf(configuration, { chatbotId })).run(
      contacts,
      concurrency
    )
  },

  updateContact: async ({ input: { contactId, chatbotId, clearFields, ...fields }, configuration }) => {
    if (Object.keys(fields).length === 0 && clearFields.length === 0) {
      throw invalidInput(contactActions.updateContact, [
        'give at least one field to change: name, email, phoneNumber, customAttributes, stripeAccounts or clearFields',
      ])
    }
    refuseProblems(
      contactActions.updateContact,
      clearFields
        .filter((field) => fields[field] !== undefined)
        .map((field) => `clearFields: ${field} is also given a value; set it or clear it`)
    )
    refuseProblems(contactActions.updateContact, stripeAccountProblems(fields))
    const updated = await chatbaseClient(configuration).updateContact(
      chatbotIdOf(configuration, { chatbotId }),
      contactId,
      toChatbaseContactFields(fields, clearFields)
    )
    return { contact: fromChatbaseContact(updated) }
  },

  getContact: async ({ input: { contactId, chatbotId }, configuration }) => {
    const contact = await chatbaseClient(configuration).getContact(chatbotIdOf(configuration, { chatbotId }), contactId)
    return { contact: fromChatbaseContact(contact) }
  },

  listContacts: async ({ input: { page, perPage, limit, chatbotId }, configuration }) => {
    const client = chatbaseClient(configuration)
    const targetChatbotId = chatbotIdOf(configuration, { chatbotId })
    let total = 0
    const read = await collectPages(page, limit, perPage, async (pageNumber) => {
      const contactsPage = await client.listContacts(targetChatbotId, pageNumber, perPage)
      total = contactsPage.total
      return { items: contactsPage.contacts, isLastPage: contactsPage.isLastPage }
    })
    return {
      contacts: read.items.map(fromChatbaseContact),
      total,
      perPage,
      page: read.page,
      hasMore: read.hasMore,
      nextPage: read.nextPage,
    }
  },

  deleteContact: async ({ input: { contactId, chatbotId }, configuration }) => {
    await chatbaseClient(configuration).deleteContact(chatbotIdOf(configuration, { chatbotId }), contactId)
    return { deletedContactId: contactId }
  },
})
