import { fromChatbaseContact } from '../chatbase/mapping'
import { contactActions } from '../definitions/contacts'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { parseInput } from './input'
import { collectPages } from './paging'

const DEFAULT_PER_PAGE = 100

export const getContact: ActionHandler<'getContact'> = async ({ ctx, input }) => {
  const { contactId, chatbotId } = parseInput(contactActions.getContact, input)
  const contact = await chatbaseClient(ctx.configuration).getContact(chatbotIdOf(ctx.configuration, { chatbotId }), contactId)
  return { contact: fromChatbaseContact(contact) }
}

export const listContacts: ActionHandler<'listContacts'> = async ({ ctx, input }) => {
  const { page = 1, perPage = DEFAULT_PER_PAGE, limit, chatbotId } = parseInput(contactActions.listContacts, input)
  const client = chatbaseClient(ctx.configuration)
  const botId = chatbotIdOf(ctx.configuration, { chatbotId })
  let total = 0
  const read = await collectPages(page, limit, perPage, async (pageNumber) => {
    const contactsPage = await client.listContacts(botId, pageNumber, perPage)
    total = contactsPage.total
    return { items: contactsPage.contacts, isLastPage: pageNumber >= contactsPage.totalPages }
  })
  return {
    contacts: read.items.map(fromChatbaseContact),
    total,
    perPage,
    page: read.page,
    hasMore: read.hasMore,
    nextPage: read.nextPage,
  }
}

export const deleteContact: ActionHandler<'deleteContact'> = async ({ ctx, input }) => {
  const { contactId, chatbotId } = parseInput(contactActions.deleteContact, input)
  await chatbaseClient(ctx.configuration).deleteContact(chatbotIdOf(ctx.configuration, { chatbotId }), contactId)
  return { deletedContactId: contactId }
}
