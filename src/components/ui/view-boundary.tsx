import { Component, type ErrorInfo, type ReactNode } from 'react'
import { Button } from './button'
import { ErrorMessage } from './error-message'

interface ViewBoundaryProps {
  /** The view's name, as the designer knows it: "Compose", "the gallery", "Tasks"… */
  name: string
  children: ReactNode
}

interface ViewBoundaryState {
  error: unknown
  /** Bumped by Reload: a fresh key mounts the view anew, with none of the state that crashed it. */
  attempt: number
}

/**
 * A crash inside one view stops at its edge: the rest of the studio (the other panels, the pollers, the submit queue)
 * goes on, and the view offers to reload itself. Nothing is lost by a reload: everything a designer made lives in
 * IndexedDB, and the draft in its store.
 */
export class ViewBoundary extends Component<ViewBoundaryProps, ViewBoundaryState> {
  override state: ViewBoundaryState = { error: undefined, attempt: 0 }

  static getDerivedStateFromError(error: unknown): Partial<ViewBoundaryState> {
    return { error: error ?? new Error('Unknown error') }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // For whoever has the console open; the designer reads the sentence below.
    console.error(`${this.props.name} stopped working`, error, info.componentStack)
  }

  override render() {
    const { error, attempt } = this.state
    if (error === undefined) return <ViewKey key={attempt}>{this.props.children}</ViewKey>
    const technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return (
      <div role="group" aria-label={`${this.props.name}: stopped`} className="flex flex-col items-start gap-3 p-4">
        <ErrorMessage
          message={`Something went wrong in ${this.props.name}. The rest of the studio is fine, and nothing you made is lost.`}
          details={technical}
        />
        <Button variant="primary" onClick={() => this.setState((s) => ({ error: undefined, attempt: s.attempt + 1 }))}>
          Reload {this.props.name}
        </Button>
      </div>
    )
  }
}

/** A keyed wrapper: its key is what Reload changes. */
function ViewKey({ children }: { children: ReactNode }) {
  return <>{children}</>
}
