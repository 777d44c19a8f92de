/*
 * Bundles anything exactly as `npm run build` bundles the integration (the bench's empty baseline, the start-up
 * test's metafile): the esbuild flags are read from package.json's build script, so the two can never drift apart.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

export const ROOT = path.resolve(__dirname, '../..')
const ESBUILD = path.join(ROOT, 'node_modules/.bin/esbuild')

export type BuildScript = { entry: string; outfile: string; flags: string[] }

/** `esbuild <entry> --flag=value … --outfile=<out>`, split into its entry, its output and the options between. */
export const readBuildScript = (): BuildScript => {
  const script: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.build
  const [command, ...args] = script.trim().split(/\s+/)
  const entries = args.filter((arg) => !arg.startsWith('-'))
  const outfile = args.find((arg) => arg.startsWith('--outfile='))?.slice('--outfile='.length)
  if (command !== 'esbuild' || entries.length !== 1 || !outfile) {
    throw new Error(
      `The bundle helpers expect the build script to be "esbuild <entry> --flags… --outfile=<file>", got: ${script}`
    )
  }
  return {
    entry: entries[0] as string,
    outfile: path.join(ROOT, outfile),
    flags: args.filter((arg) => arg.startsWith('-') && !arg.startsWith('--outfile=')),
  }
}

/** Bundles `entry` with the build script's options into `outfile`, and writes esbuild's metafile beside it. */
export const bundleLikeTheBuild = async (
  entry: string,
  outfile: string
): Promise<{ outfile: string; metafile: string }> => {
  const metafile = `${outfile}.meta.json`
  await promisify(execFile)(
    ESBUILD,
    [entry, ...readBuildScript().flags, `--outfile=${outfile}`, `--metafile=${metafile}`],
    {
      cwd: ROOT,
    }
  )
  return { outfile, metafile }
}

/** Bytes each package (or `src`, the integration's own code) puts in the bundle, from esbuild's metafile. */
export const bytesByPackage = (metafile: string): Map<string, number> => {
  const meta: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> } = JSON.parse(
    readFileSync(metafile, 'utf8')
  )
  const totals = new Map<string, number>()
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'src'
      totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput)
    }
  }
  return totals
}
