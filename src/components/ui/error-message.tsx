import { describeError, wordsWithServerKey, type ErrorWords } from '../../api/errors'
import { cn } from '../../lib/cn'
import { useOpenSettings, useServerHoldsKey } from '../../lib/open-settings'
import { Button } from './button'

type ErrorMessageProps = {
  /** `role="alert"` (the default) for an error that just happened; `status` for one shown in passing. */
  role?: 'alert' | 'status'
  /** Margins, width: what neither `size` nor `tone` sets (classes are joined as they are, never merged). */
  className?: string
  /** `sm` in a card or a list; `md` (the default) under a form. */
  size?: 'sm' | 'md'
  /** `warn` for what is waiting on the designer rather than broken ("Needs attention"). */
  tone?: 'error' | 'warn'
  /** Words before the sentence that say where it stands ("Failed: ", "Needs attention: "). */
  lead?: string
} & (
  | {
      /** Any error: an ApiError is put in plain words by describeError, anything else gets a generic sentence. */
      error: unknown
    }
  | ErrorWords
)

/**
 * An error as a designer reads it: the plain sentence with the way out, and under it a collapsed native
 * <details> with the technical words (reason codes, HTTP statuses, field names, environment variables), shown
 * only when there are any. Give it `error`, or words already chosen as `message` and `details`.
 */
export function ErrorMessage({ role = 'alert', className, size = 'md', tone = 'error', lead = '', ...props }: ErrorMessageProps) {
  const words = 'error' in props ? describeError(props.error) : props
  const { message, details, fix } = useServerHoldsKey() ? wordsWithServerKey(words) : words
  const openSettings = useOpenSettings()
  return (
    <div
      role={role}
      className={cn(
        'flex flex-col gap-1',
        size === 'sm' ? 'text-ui-sm' : 'text-ui',
        tone === 'warn' ? 'text-amber-300' : 'text-red-400',
        className,
      )}
    >
      <p>
        {lead}
        {message}
      </p>
      {fix === 'settings' && openSettings && (
        <Button size="sm" className="w-fit" onClick={openSettings}>
          Settings
        </Button>
      )}
      {details && (
        <details className="text-ui-sm text-zinc-400">
          <summary className="w-fit cursor-pointer rounded-control select-none hover:text-zinc-200">Details</summary>
          <pre className="mt-1 font-mono break-words whitespace-pre-wrap">{details}</pre>
        </details>
      )}
    </div>
  )
}
