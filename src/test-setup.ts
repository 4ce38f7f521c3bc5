import 'fake-indexeddb/auto'
import { afterEach, vi } from 'vitest'

// Testing Library and its matchers are for the files that render, in jsdom. Tests of pure code run in Node (with
// `// @vitest-environment node` at their top) and skip loading them: about half the files, a tenth of a second each.
if (typeof document !== 'undefined') {
  await import('@testing-library/jest-dom/vitest')
  const { cleanup, configure } = await import('@testing-library/react')
  // Vitest runs without globals, so Testing Library cannot register its own clean-up: unmount after each test here.
  afterEach(cleanup)
  // findBy and waitFor wait up to 12 s, not 1: a part the studio loads on demand (React.lazy) is transformed by Vite
  // on its first import in a test run, which on a busy two-core machine, with both cores running test files, took
  // over 5 s (the prompt history's list, twice in full runs, never alone). They return as soon as what they wait for
  // is there, so passing tests are no slower; the test's own limit (15 s, vite.config.ts) stays above this.
  configure({ asyncUtilTimeout: 12_000 })
}

// jsdom has no modal dialogs: open and close them as the browser would, close event included.
if (typeof HTMLDialogElement !== 'undefined') {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open')
    this.dispatchEvent(new Event('close'))
  }
}

// The studio joins classes without merging them (lib/cn.ts): here every call is checked, and two classes that set
// the same thing (`text-ui` beside `text-ui-sm`, `px-2` beside `px-2.5`) fail the test that rendered them.
vi.mock('./lib/cn', async () => {
  const { clsx } = await import('clsx')
  const { extendTailwindMerge } = await import('tailwind-merge')
  // Our type-size tokens (tailwind.config.ts), or `text-ui` would be taken for a colour.
  const merge = extendTailwindMerge({ extend: { classGroups: { 'font-size': [{ text: ['ui-xs', 'ui-sm', 'ui', 'ui-lg'] }] } } })
  return {
    cn: (...inputs: Parameters<typeof clsx>) => {
      const joined = clsx(inputs)
      const kept = new Set(merge(joined).split(' '))
      const clashing = joined.split(' ').filter((c) => c && !kept.has(c))
      if (clashing.length) throw new Error(`Classes that another class in the same list overrides: ${clashing.join(' ')} (in "${joined}")`)
      return joined
    },
  }
})
