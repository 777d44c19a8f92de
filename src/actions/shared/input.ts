import { RuntimeError, type z } from '@botpress/sdk'

/** An action's definition, from its area in src/definitions/actions. */
export type ActionDefinition<S extends z.AnyZodObject = z.AnyZodObject> = { title: string; input: { schema: S } }

// Strict copies, made at an action's first call: an unknown key (a typo such as `phone` for `phoneNumber`) is an
// error, not a silent loss.
const strictSchemas = new WeakMap<z.AnyZodObject, z.AnyZodObject>()

const strictOf = (schema: z.AnyZodObject): z.AnyZodObject => {
  let strict = strictSchemas.get(schema)
  if (!strict) {
    strict = schema.strict()
    strictSchemas.set(schema, strict)
  }
  return strict
}

/** Studio sends a blank optional field as "" or null; it means "not set" (its default, if any), not "set to empty". */
export const withoutBlankFields = (input: unknown): unknown =>
  input !== null && typeof input === 'object' && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== null))
    : input

/** Each problem as `field.path: message`. */
export const issuesOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)

export const invalidInput = (action: ActionDefinition, problems: string[]): RuntimeError =>
  new RuntimeError(`Invalid input for ${action.title}: ${problems.join('; ')}`)

/** For the rules a schema cannot state: fails the card with every problem found, if any. */
export const refuseProblems = (action: ActionDefinition, problems: string[]): void => {
  if (problems.length > 0) {
    throw invalidInput(action, problems)
  }
}

/**
 * The SDK does not check action input against the definition, so every action's input is parsed here, with the
 * definition's own schema, before anything is sent to Chatbase; defaults are filled in.
 */
export const parseInput = <S extends z.AnyZodObject>(action: ActionDefinition<S>, input: unknown): z.output<S> => {
  const result = strictOf(action.input.schema).safeParse(withoutBlankFields(input))
  if (!result.success) {
    throw invalidInput(action, issuesOf(result.error))
  }
  return result.data as z.output<S>
}

/** v2 takes several values of a filter as one comma-separated string; none is no filter. */
export const commaList = (values: readonly string[] | undefined): string | undefined =>
  values?.length ? values.join(',') : undefined
