/** Timing and statistics shared by every figure: medians and p99 over interleaved, warmed-up repetitions. */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Nearest-rank percentile (p in 0..100) of samples, which need not be sorted. */
export const percentile = (samples: number[], p: number): number => {
  if (samples.length === 0) {
    throw new Error('No samples to take a percentile of')
  }
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

export const median = (samples: number[]): number => percentile(samples, 50)

/** Milliseconds taken by one call. */
export const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await run()
  return performance.now() - start
}

/**
 * Runs every contender `repetitions` times, one of each per round, reversing the order every other round so that
 * neither side always runs first (warm caches, GC debt, CPU frequency drift all fall on both). The first `warmUp`
 * rounds are run but not kept. Samples of one round share an index, so they can be paired.
 */
export const interleave = async <K extends string, T = number>(
  contenders: Record<K, () => Promise<T>>,
  { repetitions, warmUp }: { repetitions: number; warmUp: number }
): Promise<Record<K, T[]>> => {
  const names = Object.keys(contenders) as K[]
  const samples = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>
  for (let round = 0; round < warmUp + repetitions; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      const sample = await contenders[name]()
      if (round >= warmUp) {
        samples[name].push(sample)
      }
    }
  }
  return samples
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`
export const ratio = (subject: number, baseline: number): string => `${(subject / baseline).toFixed(2)}×`

// Linux counts a process's CPU time in /proc/<pid>/stat in ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND = 100

/** Milliseconds of CPU the bench process has used so far, user and system. */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/**
 * Milliseconds of CPU another process has used so far, user and system (its threads included, the GC's among
 * them), from /proc; undefined where /proc or the process is not there.
 */
export const cpuMsOf = (pid: number | undefined): number | undefined => {
  if (pid === undefined) {
    return undefined
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // After the command name, which is in parentheses and may hold anything: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}
