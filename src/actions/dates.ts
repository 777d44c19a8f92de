import { invalidInput, type ActionDefinition } from './input'

/** The schema checks the YYYY-MM-DD shape; this rejects days that do not exist, such as 2025-02-30. */
const isCalendarDay = (day: string): boolean => {
  const date = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day)
}

export const checkDateRange = (action: ActionDefinition, { startDate, endDate }: { startDate?: string; endDate?: string }): void => {
  const problems = [
    ...(startDate && !isCalendarDay(startDate) ? [`startDate: ${startDate} is not a day of the calendar`] : []),
    ...(endDate && !isCalendarDay(endDate) ? [`endDate: ${endDate} is not a day of the calendar`] : []),
    ...(startDate && endDate && startDate > endDate ? [`endDate: must not be before startDate (${startDate})`] : []),
  ]
  if (problems.length > 0) {
    throw invalidInput(action, problems)
  }
}
