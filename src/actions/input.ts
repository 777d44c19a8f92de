import { RuntimeError, type z } from '@botpress/sdk'

/**
 * An action's definition, from its area in src/definitions. Each action passes its own: a map of every action here
 * would build every area's schemas at the first call of any.
 */
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

/** Studio sends a blank optional field as "" or null; it means "not set", not "set to empty". */
const withoutBlankFields = (input: unknown): unknown =>
  input !== null && typeof input === 'object' && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== null))
    : input

export const invalidInput = (action: ActionDefinition, problems: string[]): RuntimeError =>
  new RuntimeError(`Invalid input for ${action.title}: ${problems.join('; ')}`)

/**
 * The SDK does not check action input against the definition, so every action parses it here, with the
 * definition's own schema, before anything is sent to Chatbase.
 */
export const parseInput = <S extends z.AnyZodObject>(action: ActionDefinition<S>, input: unknown): z.infer<S> => {
  const result = strictOf(action.input.schema).safeParse(withoutBlankFields(input))
  if (!result.success) {
    throw invalidInput(
      action,
      result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    )
  }
  return result.data as z.infer<S>
}
