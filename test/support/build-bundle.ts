import { execFileSync } from 'node:child_process'

/** The end-to-end tests serve the built bundle, so build it first with the project's own build script. */
export default function buildBundle(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
}
