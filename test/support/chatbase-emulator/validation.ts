// Request validation shared by the emulator's areas, with zod-style messages as in the docs' examples, and the error
// a route throws to answer with a documented-style error body.

export type Issue = { field: string; message: string }
type ErrorBody = { message: string; issues?: Issue[] }
export type Json = Record<string, unknown>

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody
  ) {
    super(body.message)
  }
}

export const notFound = (message: string) => new ApiError(404, { message })
export const invalid = (message: string, issues: Issue[]) => new ApiError(400, { message, issues })

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array'

export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

// True when `value` is present and of `kind`; otherwise records why (absence only matters when required).
export function check(issues: Issue[], field: string, value: unknown, kind: Kind, required = false): boolean {
  if (value === undefined) {
    if (required) issues.push({ field, message: 'Required' })
    return false
  }
  if (kindOf(value) === kind) return true
  issues.push({ field, message: `Expected ${kind}, received ${kindOf(value)}` })
  return false
}

export function checkRange(issues: Issue[], field: string, value: number, min: number, max?: number): void {
  if (value < min) issues.push({ field, message: `Number must be greater than or equal to ${min}` })
  else if (max !== undefined && value > max)
    issues.push({ field, message: `Number must be less than or equal to ${max}` })
}

export function integerParam(
  issues: Issue[],
  query: Record<string, string>,
  field: string,
  fallback: number,
  min: number,
  max?: number
): number {
  const raw = query[field]
  if (raw === undefined) return fallback
  if (!/^-?\d+$/.test(raw)) {
    issues.push({ field, message: `Expected integer, received '${raw}'` })
    return fallback
  }
  const value = Number(raw)
  checkRange(issues, field, value, min, max)
  return value
}

export function parseJsonObject(body: string): Json {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw invalid('Invalid request body', [{ field: 'body', message: 'Malformed JSON' }])
  }
  if (kindOf(parsed) !== 'object') {
    throw invalid('Invalid request body', [{ field: 'body', message: `Expected object, received ${kindOf(parsed)}` }])
  }
  return parsed as Json
}

export function readEnum<T extends string>(
  issues: Issue[],
  field: string,
  value: unknown,
  allowed: readonly T[]
): T | undefined {
  if (!check(issues, field, value, 'string')) return undefined
  if ((allowed as readonly string[]).includes(value as string)) return value as T
  const expected = allowed.map((option) => `'${option}'`).join(' | ')
  issues.push({ field, message: `Invalid enum value. Expected ${expected}, received '${value as string}'` })
  return undefined
}

export function readInteger(issues: Issue[], field: string, value: unknown, min: number): number | undefined {
  if (!check(issues, field, value, 'number')) return undefined
  if (!Number.isInteger(value)) {
    issues.push({ field, message: 'Expected integer, received float' })
    return undefined
  }
  checkRange(issues, field, value as number, min)
  return value as number
}

export function readStringArray(issues: Issue[], field: string, value: unknown): string[] | undefined {
  if (!check(issues, field, value, 'array')) return undefined
  const strings = value as unknown[]
  strings.forEach((item, index) => check(issues, `${field}.${index}`, item, 'string', true))
  return [...(strings as string[])]
}
