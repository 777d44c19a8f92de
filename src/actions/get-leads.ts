import { fromChatbaseLead } from '../chatbase/mapping'
import { chatbaseClient, type ActionHandler } from './common'
import { invalidInput, parseInput } from './input'

const DEFAULT_PAGE_SIZE = 10

/** The schema checks the YYYY-MM-DD shape; this rejects days that do not exist, such as 2025-02-30. */
const isCalendarDay = (day: string): boolean => {
  const date = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day)
}

export const getLeads: ActionHandler<'getLeads'> = async ({ ctx, input }) => {
  const { startDate, endDate, page = 1, size = DEFAULT_PAGE_SIZE } = parseInput('getLeads', input)
  const problems = [
    ...(startDate && !isCalendarDay(startDate) ? [`startDate: ${startDate} is not a day of the calendar`] : []),
    ...(endDate && !isCalendarDay(endDate) ? [`endDate: ${endDate} is not a day of the calendar`] : []),
    ...(startDate && endDate && startDate > endDate ? [`endDate: must not be before startDate (${startDate})`] : []),
  ]
  if (problems.length > 0) {
    throw invalidInput('getLeads', problems)
  }
  const leads = await chatbaseClient(ctx.configuration).getLeads({
    chatbotId: ctx.configuration.chatbotId,
    startDate,
    endDate,
    page,
    size,
  })
  return { leads: leads.map(fromChatbaseLead), page, size, hasMore: leads.length >= size }
}
