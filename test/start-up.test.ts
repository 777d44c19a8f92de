import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleLikeTheBuild, readBuildScript, ROOT } from './support/build'

/*
 * A cold start must build no action's schemas (the bench's cold-start figure): an area's definitions and handlers
 * are reached only through the `import()` of the action map, never by a static import from src/index.ts. esbuild's
 * metafile holds the import graph of the very bundle the build makes.
 */

type Metafile = { inputs: Record<string, { imports: { path: string; kind: string }[] }> }

const AREA_MODULE = /^src\/(definitions\/actions\/|actions\/(?!index\.ts$|shared\/))/

let meta: Metafile
let work: string

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'chatbase-start-up-'))
  const { metafile } = await bundleLikeTheBuild(path.join(ROOT, readBuildScript().entry), path.join(work, 'index.cjs'))
  meta = JSON.parse(readFileSync(metafile, 'utf8'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Every module `from` reaches through imports of the given kinds. */
const reachable = (from: string, follows: (kind: string) => boolean): Set<string> => {
  const seen = new Set<string>()
  const visit = (module: string) => {
    if (seen.has(module)) return
    seen.add(module)
    meta.inputs[module]?.imports.filter((edge) => follows(edge.kind)).forEach((edge) => visit(edge.path))
  }
  visit(from)
  return seen
}

const isStatic = (kind: string) => kind !== 'dynamic-import'
const areaModules = (modules: Set<string>) => [...modules].filter((module) => AREA_MODULE.test(module)).sort()

describe('the start-up import graph', () => {
  it('reaches no area definitions or handlers from src/index.ts', () => {
    expect(areaModules(reachable('src/index.ts', isStatic))).toEqual([])
  })

  it('reaches every area through the action map, and sees an area module that a static import would reach', () => {
    const areas = areaModules(reachable('src/index.ts', () => true))

    expect(areas).toEqual(
      expect.arrayContaining(['src/actions/chat.ts', 'src/actions/contacts.ts', 'src/definitions/actions/chatbots.ts'])
    )
    expect(areaModules(reachable('src/actions/chat.ts', isStatic))).toContain('src/definitions/actions/chat.ts')
  })
})
