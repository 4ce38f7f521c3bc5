import { useId } from 'react'
import type { ErrorWords } from '../../api/errors'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import { Input } from '../../components/ui/input'

interface SettingsKeyProps {
  /** What is typed: a new key, not saved yet. The key kept never comes back to the browser, so it is never shown. */
  value: string
  onChange(text: string): void
  /** Enter: the typed key goes to the gateway. */
  onSave(): void
  /** Whether the gateway keeps a key given here (in its data folder). */
  keptOnGateway: boolean
  onForget(): void
  /** Why the key was not kept (or not forgotten), in the gateway's words. */
  problem: ErrorWords | undefined
}

/**
 * Settings › API key: the jiekou.ai key goes to the gateway, which keeps it for its runner (tasks go on with every tab
 * closed) and never gives it back; this browser keeps none. What is held shows as a placeholder, never as the key.
 */
export function SettingsKey({ value, onChange, onSave, keptOnGateway, onForget, problem }: SettingsKeyProps) {
  const id = useId()
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="text-ui text-zinc-400">
        API key
      </label>
      <Input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={keptOnGateway ? 'A key is kept on the gateway' : 'Paste your jiekou.ai key'}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-help`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onSave()}
      />
      <p id={`${id}-help`} className="text-ui-sm text-zinc-400">
        {keptOnGateway
          ? 'The gateway keeps your key in its data folder and never shows it again. Paste a new one to replace it.'
          : 'The key goes only to your own gateway, which keeps it in its data folder and passes it to jiekou.ai. It is never shown again.'}
      </p>
      {problem && <ErrorMessage size="sm" {...problem} />}
      {keptOnGateway && (
        <Button size="sm" variant="ghost" className="self-start" onClick={onForget}>
          Forget key
        </Button>
      )}
    </div>
  )
}
