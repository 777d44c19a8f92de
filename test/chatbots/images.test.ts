import { describe, expect, it } from 'vitest'
import { pngImage } from '../support/file-host'
import { CHATBOT_ID, useHarness } from '../support/harness'

/* Chatbot icon and profile picture: downloaded from an https file host, then posted to Chatbase as multipart. */

const h = useHarness()

const square = pngImage(64)
const WITHIN_DEADLINE_SLACK_MS = 750

describe.each([
  [
    'uploadChatbotIcon',
    'deleteChatbotIcon',
    '/upload-chatbot-icon',
    '/delete-chatbot-icon',
    'chatbotIconFile',
    'icon',
    'icon',
  ],
  [
    'uploadChatbotProfilePicture',
    'deleteChatbotProfilePicture',
    '/upload-chatbot-profile-picture',
    '/delete-chatbot-profile-picture',
    'profilePictureFile',
    'profilePicture',
    'profile picture',
  ],
] as const)('%s and %s', (upload, remove, uploadPath, removePath, fileField, image, what) => {
  const uploads = () => h.chatbase.requests.filter((request) => request.path === uploadPath)

  it('downloads the file without the Chatbase key and posts it as multipart with the chatbot id', async () => {
    const fileUrl = h.files.serve('/images/my%20logo.png', { body: square, contentType: 'image/png' })
    const result = await h.driver.callAction(upload, { fileUrl })

    expect(result.output).toEqual({ chatbotId: CHATBOT_ID, fileName: 'my logo.png', size: square.length })
    expect(h.files.requests).toEqual([
      {
        method: 'GET',
        path: '/images/my%20logo.png',
        headers: expect.not.objectContaining({ authorization: expect.anything() }),
      },
    ])
    expect(uploads()).toHaveLength(1)
    expect(uploads()[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(uploads()[0]?.parts).toEqual([
      { name: 'chatbotId', value: CHATBOT_ID },
      { name: fileField, fileName: 'my logo.png', contentType: 'image/png', bytes: square },
    ])
    expect(h.chatbase.chatbotImage(CHATBOT_ID, image)).toEqual({
      fileName: 'my logo.png',
      contentType: 'image/png',
      bytes: square,
    })
  })

  it('deletes it with the chatbot id as a query parameter', async () => {
    h.chatbase.addChatbot('other-bot')
    await h.driver.callAction(upload, {
      fileUrl: h.files.serve('/logo.png', { body: square, contentType: 'image/png' }),
      chatbotId: 'other-bot',
    })
    const result = await h.driver.callAction(remove, { chatbotId: 'other-bot' })

    expect(result.output).toEqual({ chatbotId: 'other-bot' })
    expect(h.chatbase.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: removePath,
      query: { chatbotId: 'other-bot' },
    })
    expect(h.chatbase.chatbotImage('other-bot', image)).toBeUndefined()
  })

  it.each([
    ['with', false],
    ['without', true],
  ])('refuses a file of 1 MB or more, %s a Content-Length, before uploading anything', async (_, chunked) => {
    const fileUrl = h.files.serve('/big.png', { body: Buffer.alloc(1_500_000, 1), contentType: 'image/png', chunked })
    const result = await h.driver.callAction(upload, { fileUrl })

    const size = chunked ? 'at least 1,000,000 bytes' : '1,500,000 bytes'
    expect(result.error?.message).toBe(
      `Could not download the file "big.png" from ${new URL(h.files.url).host}: it is ${size}, and Chatbase takes files under 1 MB (1,000,000 bytes). Use a smaller file.`
    )
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('refuses a URL that is not https, naming the field, before any request', async () => {
    const result = await h.driver.callAction(upload, { fileUrl: 'http://example.com/logo.png' })

    expect(result.error?.message).toMatch(
      /^Invalid input for Upload Agent .*: fileUrl: must be an https:\/\/ URL, e\.g\. a Botpress file URL$/
    )
    expect(h.files.requests).toHaveLength(0)
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('says what the file host answered when it has no such file', async () => {
    const result = await h.driver.callAction(upload, { fileUrl: `${h.files.url}/missing.png` })

    expect(result.error?.message).toBe(
      `Could not download the file "missing.png" from ${new URL(h.files.url).host}: the file host answered 404.`
    )
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('gives up on a slow file host within the deadline, uploading nothing', async () => {
    const fileUrl = h.files.serve('/slow.png', { body: square, contentType: 'image/png', delayMs: 2_000 })
    const impatient = h.driver.withConfiguration({ ...h.configuration, timeoutSeconds: 1 })
    const started = Date.now()
    const result = await impatient.callAction(upload, { fileUrl })

    expect(result.error?.message).toBe(
      `Could not download the file "slow.png" from ${new URL(h.files.url).host}: it did not arrive within 1 s, the time the action may take ("Timeout (seconds)" in the configuration).`
    )
    expect(Date.now() - started).toBeLessThan(1_000 + WITHIN_DEADLINE_SLACK_MS)
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('names the chatbot Chatbase does not know', async () => {
    const result = await h.driver.callAction(upload, {
      fileUrl: h.files.serve('/logo.png', { body: square, contentType: 'image/png' }),
      chatbotId: 'ghost-bot',
    })

    expect(result.error?.message).toBe(
      `Could not upload the chatbot ${what}. Chatbase found no chatbot "ghost-bot" (404): Chatbot not found.`
    )
  })
})
