import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

describe('custom attributes', () => {
  beforeEach(() => h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'plan', type: 'text' }))

  it('creates, lists and archives attributes', async () => {
    const created = await h.driver.callAction('createCustomAttribute', { name: 'signup_date', type: 'date', label: 'Signup date' })
    const archived = await h.driver.callAction('updateCustomAttribute', { name: 'signup_date', archived: true })
    const listed = await h.driver.callAction('listCustomAttributes', {})

    expect(created.output?.attribute).toMatchObject({ name: 'signup_date', type: 'date', label: 'Signup date', archived: false })
    expect(archived.output?.attribute).toMatchObject({ name: 'signup_date', archived: true })
    expect(listed.output?.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(['plan', 'signup_date'])
  })

  it('checks the name rules before sending', async () => {
    const result = await h.driver.callAction('createCustomAttribute', { name: 'Signup Date', type: 'date', label: 'x' })

    expect(result.error?.message).toContain('name: must start with a lower-case letter')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('asks for something to change', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'plan' })

    expect(result.error?.message).toContain('give at least one field to change')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})
