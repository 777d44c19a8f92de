/* Figure 2: bundle bytes against the empty integration's bundle, and what the difference is made of. */
import { statSync } from 'node:fs'
import { bytesByPackage } from '../../../support/build'
import { ratio } from '../measure'
import type { Report } from '../rig'

const GOAL = 1.15

// The SDK carries its own copy of zui (Botpress's zod); the integration must use it (`z` from @botpress/sdk).
const SCHEMA_LIBRARIES = ['zod', '@bpinternal/zui']

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

type Bundle = { outfile: string; metafile: string }

export const measureBundleSize = (report: Report, bundles: { subject: Bundle; floor: Bundle }): void => {
  const subjectBytes = statSync(bundles.subject.outfile).size
  const floorBytes = statSync(bundles.floor.outfile).size
  const subject = bytesByPackage(bundles.subject.metafile)
  const floor = bytesByPackage(bundles.floor.metafile)
  // A package the floor already has that grows in the subject is (part of) a second copy, e.g. one package
  // reached through both its CommonJS and its ESM entry point.
  const beyondFloor = [...subject]
    .map(([name, bytes]) => ({ name, extra: bytes - (floor.get(name) ?? 0), inFloor: floor.has(name) }))
    .filter(({ name, extra }) => name !== 'src' && extra > 512)
    .map(({ name, extra, inFloor }) => {
      const why = SCHEMA_LIBRARIES.includes(name)
        ? 'a second schema library'
        : inFloor
          ? 'a second copy'
          : 'not in the floor'
      return `${name} +${kb(extra)} (${why})`
    })
  report.line(
    `2. bundle: ${kb(subjectBytes)} vs ${kb(floorBytes)}; the integration's own code ${kb(subject.get('src') ?? 0)}; ` +
      `packages beyond the floor: ${beyondFloor.length > 0 ? beyondFloor.join(', ') : 'none'}`
  )
  report.row({
    figure: '2. bundle bytes',
    subject: kb(subjectBytes),
    baseline: kb(floorBytes),
    ratio: ratio(subjectBytes, floorBytes),
    goal: `≤ ${GOAL.toFixed(2)}×`,
    holds: subjectBytes / floorBytes <= GOAL,
  })
}
