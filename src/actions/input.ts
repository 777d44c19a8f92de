import { RuntimeError, type z } from '@botpress/sdk'
import { actions, type ActionInput, type ActionName } from '../definitions'

// Strict copies made once: an unknown key (a typo such as `phone` for `phoneNumber`) is an error, not a silent loss.
const strictSchemas: Record<string, z.ZodTypeAny> = Object.fromEntries(
  Object.entries(actions).map(([name, action]) => [name, action.input.schema.strict()])
)

/** Studio sends a blank optional field as "" or null; it means "not set", not "set to empty". */
const withoutBlankFields = (input: unknown): unknown =>
  input !== null && typeof input === 'object' && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== null))
    : input

export const invalidInput = (action: ActionName, problems: string[]): RuntimeError =>
  new RuntimeError(`Invalid input for ${actions[action].title}: ${problems.join('; ')}`)

/**
 * The SDK does not check action input against the definition, so every action parses it here, with the
 * definition's own schema, before anything is sent to Chatbase.
 */
export const parseInput = <A extends ActionName>(action: A, input: unknown): ActionInput<A> => {
  const result = strictSchemas[action].safeParse(withoutBlankFields(input))
  if (!result.success) {
    throw invalidInput(
      action,
      result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    )
  }
  return result.data as ActionInput<A>
}
