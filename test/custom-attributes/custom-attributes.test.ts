import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

describe('custom attributes', () => {
  beforeEach(() => h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'plan', type: 'text' }))

  it('creates, lists and archives attributes', async () => {
    const created = await h.driver.callAction('createCustomAttribute', {
      name: 'signup_date',
      type: 'date',
      label: 'Signup date',
    })
    const archived = await h.driver.callAction('updateCustomAttribute', { name: 'signup_date', archived: true })
    const listed = await h.driver.callAction('listCustomAttributes', {})

    expect(created.output?.attribute).toMatchObject({
      name: 'signup_date',
      type: 'date',
      label: 'Signup date',
      archived: false,
    })
    expect(archived.output?.attribute).toMatchObject({ name: 'signup_date', archived: true })
    expect(listed.output?.attributes.map((attribute: { name: string }) => attribute.name)).toEqual([
      'plan',
      'signup_date',
    ])
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

describe('List Custom Attributes', () => {
  it('reads an attribute of a type the docs do not list as Chatbase names it, instead of failing the card', async () => {
    h.chatbase.injectFault({
      method: 'GET',
      path: `/chatbots/${CHATBOT_ID}/custom-attributes`,
      status: 200,
      body: JSON.stringify({ data: [{ name: 'colour', type: 'select', label: 'Colour' }] }),
    })
    const result = await h.driver.callAction('listCustomAttributes', {})

    expect(result.output?.attributes).toEqual([{ name: 'colour', type: 'select', label: 'Colour', archived: false }])
  })
})

describe('Update Custom Attribute', () => {
  beforeEach(() =>
    h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'legacy', type: 'text', label: 'Legacy', archived: true })
  )

  const sent = () =>
    h.chatbase.requests.map(({ method, path, body }) => ({
      method,
      path,
      body: body === '' ? undefined : JSON.parse(body),
    }))

  it('keeps an archived attribute archived when only its label changes, sending its current state', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'legacy', label: 'Old plan' })

    expect(result.output?.attribute).toMatchObject({ name: 'legacy', label: 'Old plan', archived: true })
    expect(sent()).toEqual([
      { method: 'GET', path: `/chatbots/${CHATBOT_ID}/custom-attributes`, body: undefined },
      {
        method: 'PUT',
        path: `/chatbots/${CHATBOT_ID}/custom-attributes/legacy`,
        body: { label: 'Old plan', archived: true },
      },
    ])
  })

  it('sends the archived state it is given without reading the current one', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', {
      name: 'legacy',
      archived: false,
      description: 'Back in use',
    })

    expect(result.output?.attribute).toMatchObject({ archived: false, description: 'Back in use' })
    expect(sent()).toEqual([
      {
        method: 'PUT',
        path: `/chatbots/${CHATBOT_ID}/custom-attributes/legacy`,
        body: { description: 'Back in use', archived: false },
      },
    ])
  })

  it('names an attribute the chatbot does not have, and changes nothing', async () => {
    const result = await h.driver.callAction('updateCustomAttribute', { name: 'ghost', label: 'Ghost' })

    expect(result.error?.message).toBe(
      `Could not update the custom attribute "ghost". Chatbase found no custom attribute "ghost" of chatbot "${CHATBOT_ID}" (404).`
    )
    expect(sent().map((request) => request.method)).toEqual(['GET'])
  })
})
