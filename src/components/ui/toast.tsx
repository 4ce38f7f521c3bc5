import { useEffect, useRef, type ReactNode } from 'react'
import { cn } from '../../lib/cn'
import { Button } from './button'

interface ToastProps {
  children: ReactNode
  /** The one thing to do about it, e.g. Undo. */
  action?: { label: string; onAction(): void } | undefined
  /** Closed without the action: by Close, by Esc, or when its time runs out. */
  onDismiss(): void
  /** When it goes (ms since epoch); the clock stops while the pointer or the focus is on it. */
  until: number
  /** Move the focus to the action when it appears (e.g. the control that led here has gone). */
  focusAction?: boolean | undefined
}

/**
 * A short message with one action, announced politely (role="status"). Esc closes it unless focus is in a field
 * or a dialog is open (their own Esc comes first).
 */
export function Toast({ children, action, onDismiss, until, focusAction }: ToastProps) {
  const dismiss = useRef(onDismiss)
  dismiss.current = onDismiss
  const left = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const startedAt = useRef(0)
  const element = useRef<HTMLDivElement>(null)

  const start = () => {
    clearTimeout(timer.current)
    startedAt.current = Date.now()
    timer.current = setTimeout(() => dismiss.current(), left.current)
  }
  const pause = () => {
    clearTimeout(timer.current)
    left.current = Math.max(0, left.current - (Date.now() - startedAt.current))
  }

  useEffect(() => {
    left.current = Math.max(0, until - Date.now())
    start()
    // The action is the first button.
    if (focusAction) element.current?.querySelector('button')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      const target = e.target as HTMLElement | null
      if (document.querySelector('dialog[open]') || target?.closest('input, textarea, select')) return
      // One Esc closes one toast: the newest.
      if ([...document.querySelectorAll('[data-toast]')].at(-1) !== element.current) return
      dismiss.current()
    }
    document.addEventListener('keydown', onKey)
    return () => {
      clearTimeout(timer.current)
      document.removeEventListener('keydown', onKey)
    }
    // The clock starts once, when the toast appears.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return (
    // The pause handlers sit on a plain wrapper; the status inside is what assistive technology announces.
    <div
      ref={element}
      data-toast
      className="pointer-events-auto"
      onMouseEnter={pause}
      onMouseLeave={start}
      onFocus={pause}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) start()
      }}
    >
      <div
        role="status"
        className="flex items-center gap-2 rounded-control border border-line bg-zinc-800 py-1.5 pr-1.5 pl-3 text-ui text-zinc-100 shadow-lg"
      >
        <span className="min-w-0 truncate">{children}</span>
        {action && (
          <Button size="sm" variant="secondary" onClick={action.onAction}>
            {action.label}
          </Button>
        )}
        <Button size="sm" variant="ghost" aria-label="Close notification" onClick={onDismiss}>
          <span aria-hidden="true">×</span>
        </Button>
      </div>
    </div>
  )
}

/** Where toasts stack: over the bottom of the area it sits in, leaving its edges (and scroll bars) free. */
export function ToastStack({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cn('pointer-events-none absolute inset-x-0 bottom-3 z-10 flex flex-col items-center gap-2 px-4', className)}>
      {children}
    </div>
  )
}
