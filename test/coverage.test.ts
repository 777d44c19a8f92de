import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { actions } from '../src/definitions'

/*
 * A new action cannot ship without its tests: every action of the definition must be called by an end-to-end test
 * (test/e2e, beside the fault matrix) and be part of the fault matrix (test/e2e/faults.test.ts).
 */

const E2E_DIR = path.resolve(__dirname, 'e2e')
const FAULT_MATRIX = 'faults.test.ts'

const e2eFiles = readdirSync(E2E_DIR)
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => ({ file, text: readFileSync(path.join(E2E_DIR, file), 'utf8') }))

/** A file calls the action when it names it in quotes and calls actions: directly, or through a table of cases. */
const callsAction = (text: string, name: string) => text.includes('callAction(') && text.includes(`'${name}'`)

const withoutE2eTest = (names: string[]) =>
  names.filter((name) => !e2eFiles.some(({ file, text }) => file !== FAULT_MATRIX && callsAction(text, name)))

const outsideFaultMatrix = (names: string[]) =>
  names.filter((name) => !e2eFiles.some(({ file, text }) => file === FAULT_MATRIX && callsAction(text, name)))

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
