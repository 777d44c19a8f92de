import { describe, expect, it } from 'vitest'
import { isAnswered } from '../../src/actions/shared/answered'
import { configurationSchema } from '../../src/definitions/configuration'

const configuration = configurationSchema.parse({ apiKey: 'k', chatbotId: 'b' })

describe('isAnswered', () => {
  it("is false for Chatbase's default fallback answer, whatever its case and spacing", () => {
    expect(isAnswered('Hmm, I am not sure.', configuration)).toBe(false)
    expect(isAnswered('  hmm,   I AM not sure.  ', configuration)).toBe(false)
    expect(isAnswered('Sorry! Hmm, I am not sure. Try our help center.', configuration)).toBe(false)
  })

  it('is true for a real answer and false for an empty one', () => {
    expect(isAnswered('We open at 9 am.', configuration)).toBe(true)
    expect(isAnswered('   ', configuration)).toBe(false)
  })

  it('uses the configured phrases instead of the default', () => {
    const custom = configurationSchema.parse({
      apiKey: 'k',
      chatbotId: 'b',
      fallbackPhrases: ['Please contact support'],
    })
    expect(isAnswered('Please contact support for that.', custom)).toBe(false)
    expect(isAnswered('Hmm, I am not sure.', custom)).toBe(true)
  })
})
