import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { actions } from '../src/definitions'

/*
 * A new action cannot ship without its tests: every action of the definition must be called by an end-to-end test
 * besides the fault matrix (any test file under test/, whatever its area) and be part of the fault matrix.
 */

const FAULT_MATRIX = path.join(__dirname, 'faults.test.ts')
/** The servers and stand-ins the tests run against, with their own tests: none of them is an action's test. */
const SUPPORT_DIR = path.join(__dirname, 'support')

const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name)
    if (entry.isDirectory()) return at === SUPPORT_DIR ? [] : testFiles(at)
    return entry.name.endsWith('.test.ts') ? [at] : []
  })

// This file names an action no test calls, in quotes, for its self-check: it must not count as calling it.
const scanned = testFiles(__dirname)
  .filter((file) => file !== __filename)
  .map((file) => ({ file, text: readFileSync(file, 'utf8') }))

/** A file calls the action when it names it in quotes and calls actions: directly, or through a table of cases. */
const callsAction = (text: string, name: string) => text.includes('callAction(') && text.includes(`'${name}'`)

const withoutE2eTest = (names: string[]) =>
  names.filter((name) => !scanned.some(({ file, text }) => file !== FAULT_MATRIX && callsAction(text, name)))

const outsideFaultMatrix = (names: string[]) =>
  names.filter((name) => !scanned.some(({ file, text }) => file === FAULT_MATRIX && callsAction(text, name)))

describe('every action of the definition', () => {
  const names = Object.keys(actions)

  it('has an end-to-end test besides the fault matrix', () => {
    expect(withoutE2eTest(names)).toEqual([])
  })

  it('is in the fault matrix', () => {
    expect(outsideFaultMatrix(names)).toEqual([])
  })

  it('is checked for real: an action no test calls is named', () => {
    expect(withoutE2eTest(['sendCarrierPigeon'])).toEqual(['sendCarrierPigeon'])
    expect(outsideFaultMatrix(['sendCarrierPigeon'])).toEqual(['sendCarrierPigeon'])
  })
})
