// A local https file host, standing in for the Botpress file API or any web server a file URL points to: the
// integration downloads from it before uploading to Chatbase. Its certificate is made at start with the system's
// openssl, for 127.0.0.1; give `caPath` to the integration process as NODE_EXTRA_CA_CERTS so that it trusts it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

export type HostedFile = {
  body: Buffer
  contentType?: string // sent as Content-Type when given
  status?: number // default 200
  chunked?: boolean // send no Content-Length: the size is only known by reading to the end
  delayMs?: number // wait this long before answering
}

export type FileHost = {
  readonly url: string // e.g. https://127.0.0.1:43123
  readonly caPath: string // the certificate to trust
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[]
  serve(urlPath: string, file: HostedFile): string // the file's URL
  reset(): void // forgets the files and the requests
  close(): Promise<void>
}

const OPENSSL = '/usr/bin/openssl'
const CHUNK_BYTES = 64 * 1024

const selfSignedCertificate = (dir: string): { key: Buffer; cert: Buffer; certPath: string } => {
  const keyPath = path.join(dir, 'key.pem')
  const certPath = path.join(dir, 'cert.pem')
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  execFileSync(OPENSSL, ['req', '-x509', ...key, '-days', '1', ...subject, '-keyout', keyPath, '-out', certPath], {
    stdio: 'ignore',
  })
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

export const startFileHost = async (): Promise<FileHost> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'file-host-'))
  const { key, cert, certPath } = selfSignedCertificate(dir)
  const files = new Map<string, HostedFile>()
  const requests: FileHost['requests'] = []

  const server: Server = createServer({ key, cert }, (req, res) => {
    const urlPath = new URL(req.url ?? '/', 'https://host').pathname
    requests.push({ method: req.method ?? 'GET', path: urlPath, headers: { ...req.headers } })
    const file = files.get(urlPath)
    void (async () => {
      if (file?.delayMs) await sleep(file.delayMs)
      if (res.destroyed) return
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
        return
      }
      res.writeHead(file.status ?? 200, {
        ...(file.contentType && { 'content-type': file.contentType }),
        ...(!file.chunked && { 'content-length': String(file.body.length) }),
      })
      for (let start = 0; start < file.body.length && !res.destroyed; start += CHUNK_BYTES) {
        res.write(file.body.subarray(start, start + CHUNK_BYTES))
      }
      res.end()
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    caPath: certPath,
    requests,
    serve: (urlPath, file) => {
      files.set(urlPath, file)
      return url + urlPath
    },
    reset: () => {
      files.clear()
      requests.length = 0
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const pngChunk = (type: string, data: Buffer): Buffer => {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typed))
  return Buffer.concat([length, typed, crc])
}

/** A valid PNG of `width` × `height` grey pixels (default square), for the upload endpoints' image rules. */
export const pngImage = (width: number, height = width): Buffer => {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.writeUInt8(8, 8) // bit depth
  header.writeUInt8(0, 9) // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80)
  for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0 // filter type of each scanline
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}
