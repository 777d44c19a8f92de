import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as prettier from 'prettier'
import { expect, it } from 'vitest'

/* The Botpress monorepo's style (120 columns, single quotes, no semicolons), kept by CI: `npm run format` fixes it. */

const ROOT = path.resolve(__dirname, '..')
const NOT_OURS = new Set(['node_modules', '.botpress', '.git'])

const typescriptFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name)
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : typescriptFiles(at)
    return entry.name.endsWith('.ts') ? [at] : []
  })

it('formats every TypeScript file in the project style', async () => {
  const options = await prettier.resolveConfig(path.join(ROOT, 'package.json'))
  const unformatted: string[] = []
  for (const file of typescriptFiles(ROOT)) {
    if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) {
      unformatted.push(path.relative(ROOT, file))
    }
  }
  expect(unformatted).toEqual([])
}, 60_000) // it reads every file, beside the end-to-end tests on a shared machine: longer than the default 20 s
