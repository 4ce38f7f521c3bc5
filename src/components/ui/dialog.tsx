import { useEffect, useRef, type ReactNode, type SyntheticEvent } from 'react'
import { cn } from '../../lib/cn'

interface DialogProps {
  label?: string
  labelledBy?: string
  onClose(): void
  className?: string
  /** `close` is for the dialog's own buttons: it closes the dialog the clicked control sits in. */
  children(close: (event: SyntheticEvent<Element>) => void): ReactNode
}

const closeFrom = (event: SyntheticEvent<Element>) => event.currentTarget.closest('dialog')?.close()

/** A modal <dialog>, open while mounted: the browser gives it Esc, focus containment and a backdrop. */
export function Dialog({ label, labelledBy, onClose, className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => ref.current?.showModal(), [])

  return (
    <dialog
      ref={ref}
      aria-label={label}
      aria-labelledby={labelledBy}
      onClose={onClose}
      className={cn('m-auto rounded-card border border-line bg-panel text-zinc-200 backdrop:bg-black/75', className)}
    >
      {children(closeFrom)}
    </dialog>
  )
}
