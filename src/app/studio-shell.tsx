import { Component, type ReactNode } from 'react'

/**
 * The studio's frame, drawn while its chunk arrives: the same bar and panels, in the same places, so nothing moves
 * when the studio takes over. Nothing in it can be pressed; it says what it is waiting for.
 */
export function StudioShell() {
  return (
    <div className="relative flex h-dvh min-w-[1024px] flex-col overflow-clip" aria-busy="true">
      <StudioBar />
      <div className="flex min-h-0 flex-1">
        <div className="w-[340px] shrink-0 border-r border-line bg-panel xl:w-[380px]" />
        <div className="flex-1 p-4">
          <p role="status" className="text-ui text-zinc-400">
            Opening the studio…
          </p>
        </div>
      </div>
    </div>
  )
}

/** The studio's top bar as the header draws it, with only its name: the same height and line. */
function StudioBar() {
  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-panel px-4">
      <h1 className="text-ui-lg font-semibold tracking-tight text-zinc-50">Veo Studio</h1>
    </header>
  )
}

interface LoadBoundaryState {
  error: unknown
}

/**
 * When the studio's chunk cannot be fetched (the gateway stopped, or a new build replaced the files), or the studio
 * fails before any of its panels can catch it, the frame says so in words and offers a reload; the designer's work is
 * in IndexedDB, untouched.
 */
export class StudioLoadBoundary extends Component<{ children: ReactNode }, LoadBoundaryState> {
  override state: LoadBoundaryState = { error: undefined }

  static getDerivedStateFromError(error: unknown): LoadBoundaryState {
    return { error: error ?? new Error('Unknown error') }
  }

  override render() {
    const { error } = this.state
    if (error === undefined) return this.props.children
    const technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return (
      <div className="flex h-dvh min-w-[1024px] flex-col">
        <StudioBar />
        <div className="flex max-w-2xl flex-col items-start gap-3 p-6 text-ui text-zinc-300">
          <p role="alert" className="text-red-400">
            The studio could not start. Reload the page; if this comes back, check that the studio's server is running. Your samples and
            drafts are kept on this device.
          </p>
          <details className="text-ui-sm text-zinc-500">
            <summary className="cursor-pointer">Details</summary>
            <p className="mt-1 font-mono">{technical}</p>
          </details>
          <button
            type="button"
            className="inline-flex h-8 items-center rounded-control bg-accent px-3 text-zinc-950"
            onClick={() => window.location.reload()}
          >
            Reload
          </button>
        </div>
      </div>
    )
  }
}
