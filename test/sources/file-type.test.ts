import { describe, expect, it } from 'vitest'
import { asSourceFile, fileSourceType } from '../../src/chatbase/v2/sources'

/* Which file a file source may be: told by the name's extension, else by the content type its host gave. */

describe('fileSourceType', () => {
  it.each([
    ['Handbook.PDF', undefined, 'pdf'],
    ['notes.txt', 'application/octet-stream', 'txt'],
    ['letter.docx', 'text/html', 'docx'],
    ['scan', 'application/pdf', 'pdf'],
    ['memo', 'APPLICATION/MSWORD', 'doc'],
  ])('takes %s (%s) as .%s: the extension wins over the content type', (name, type, expected) => {
    expect(fileSourceType(name, type)).toEqual({ type: expected })
  })

  it('cannot tell a name without extension before the content type is known', () => {
    expect(fileSourceType('scan')).toBeUndefined()
  })

  it.each([
    ['photo.png', undefined, '"photo.png" is a .png file'],
    ['archive.tar.gz', 'application/pdf', '"archive.tar.gz" is a .gz file'],
    ['page', 'text/html', '"page" has no extension and its host calls it text/html'],
  ])('refuses %s (%s)', (name, type, problem) => {
    expect(fileSourceType(name, type)).toEqual({
      problem: `${problem}, and Chatbase takes .pdf, .doc, .docx or .txt files.`,
    })
  })

  it('sends a file under a name with the extension of its type, as that type', () => {
    const file = { bytes: Buffer.from('x'), contentType: 'application/octet-stream' }
    expect(asSourceFile({ ...file, fileName: 'scan' }, 'pdf')).toMatchObject({
      fileName: 'scan.pdf',
      contentType: 'application/pdf',
    })
    expect(asSourceFile({ ...file, fileName: 'a.TXT' }, 'txt').fileName).toBe('a.TXT')
  })
})
