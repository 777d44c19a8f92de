/** Inputs only Chatbase API v2 can honour, each named when its card ran on v1: nothing is dropped silently. */
export const v2OnlyProblems = (given: Record<string, unknown>): string[] =>
  Object.entries(given).flatMap(([field, value]) =>
    value === undefined || (Array.isArray(value) && value.length === 0)
      ? []
      : [`${field}: needs Chatbase API v2 (Standard plan or higher), and this card ran on API v1; leave it empty`]
  )
