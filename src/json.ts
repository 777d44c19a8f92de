/** The value of a JSON text; undefined when it is not JSON (an empty body, a gateway's page…). */
export const parseJsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
