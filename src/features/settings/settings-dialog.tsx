import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useId, useState, type ReactNode } from 'react'
import { getTaskResult } from '../../api/client'
import { useApiKey, useConnectionActions, useProvider, useRememberKey } from '../../api/connection-store'
import { describeError, isApiError, type ErrorWords } from '../../api/errors'
import type { ProviderId } from '../../api/gateway-urls'
import { gatewayConfigQuery, providerStatusQuery } from '../../api/queries'
import { Button } from '../../components/ui/button'
import { Checkbox } from '../../components/ui/checkbox'
import { Dialog } from '../../components/ui/dialog'
import { ErrorMessage } from '../../components/ui/error-message'
import { Input } from '../../components/ui/input'
import { Segmented } from '../../components/ui/segmented'
import { SettingsStorage } from './settings-storage'

// Limits and prices load when Settings opens, not with the first paint.
const SettingsLimits = lazy(() => import('./settings-limits').then((m) => ({ default: m.SettingsLimits })))

const PROVIDERS: { value: ProviderId; label: string }[] = [
  { value: 'local', label: 'Local engine' },
  { value: 'jiekou', label: 'jiekou.ai' },
]

type TestOutcome = { ok: true; message: string } | { ok: false; words: ErrorWords }

/** What Test connection says before asking anyone: jiekou.ai needs a key, here or on the server. */
const NO_KEY: TestOutcome = {
  ok: false,
  words: { message: 'No key yet: add your jiekou.ai key above, then test again.', details: undefined },
}

/** Asks the provider about a task id that cannot exist: "not found" means we reached it and the key works. */
async function testConnection(provider: ProviderId, apiKey: string): Promise<TestOutcome> {
  try {
    await getTaskResult({ provider, apiKey: apiKey || undefined }, 'connection-test', { timeoutMs: 15_000 })
    return { ok: true, message: 'Connected.' }
  } catch (e) {
    if (isApiError(e) && e.status === 404)
      return {
        ok: true,
        message: provider === 'local' ? 'Connected to the local engine.' : 'Connected to jiekou.ai; the key was accepted.',
      }
    const words = describeError(e)
    // Here the key is on screen: the way out is to fix it in this dialog, not "in Settings".
    if (isApiError(e) && e.detail === undefined && (e.status === 401 || e.status === 403) && /key/.test(words.message))
      return {
        ok: false,
        words: { ...words, fix: undefined, message: 'jiekou.ai refused the key. Check that you pasted all of it, then test again.' },
      }
    return { ok: false, words }
  }
}

/** `extra`: more sections after Storage, given by the studio (Back up and move), each loaded on demand. */
export function SettingsDialog({ onClose, extra }: { onClose(): void; extra?: ReactNode }) {
  const id = useId()
  const provider = useProvider()
  const savedKey = useApiKey()
  const remember = useRememberKey()
  const { setProvider, setApiKey, forgetKey } = useConnectionActions()
  const gateway = useQuery(gatewayConfigQuery())
  const queryClient = useQueryClient()
  const [keyText, setKeyText] = useState('')
  const [rememberText, setRememberText] = useState(remember)
  const [test, setTest] = useState<TestOutcome | 'testing'>()
  const serverHoldsKey = gateway.data?.serverHoldsKey === true

  /** Keeps a newly typed key (or the saved one, with the new Remember choice). */
  function saveKey() {
    const key = keyText.trim() || savedKey
    if (key) setApiKey(key, rememberText)
    setKeyText('')
  }

  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} className="max-h-[calc(100dvh-2rem)] w-[min(480px,92vw)] overflow-y-auto p-5">
      {(close) => (
        <>
          <h2 id={`${id}-title`} className="mb-4 text-ui-lg font-semibold">
            Settings
          </h2>
          <div className="flex flex-col gap-4">
            <Segmented label="Provider" value={provider} options={PROVIDERS} onChange={(p) => (setProvider(p), setTest(undefined))} />
            {provider === 'local' ? (
              <p className="text-ui-sm text-zinc-400">Local preview: motion from your frames, not AI. It needs no key and works offline.</p>
            ) : serverHoldsKey ? (
              <p className="rounded-control border border-emerald-900/60 bg-emerald-950/30 p-2 text-ui-sm text-emerald-300">
                The server holds the key. You do not need to enter one.
              </p>
            ) : (
              <div className="flex flex-col gap-2">
                <label htmlFor={`${id}-key`} className="text-ui text-zinc-400">
                  API key
                </label>
                <Input
                  id={`${id}-key`}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={savedKey ? `Saved key ending in …${savedKey.slice(-4)}` : 'Paste your jiekou.ai key'}
                  value={keyText}
                  onChange={(e) => setKeyText(e.target.value)}
                  onKeyDown={(e) => e.key === 'Enter' && saveKey()}
                />
                <Checkbox label="Remember on this device" checked={rememberText} onChange={(e) => setRememberText(e.target.checked)} />
                <p className="text-ui-sm text-zinc-400">
                  {savedKey
                    ? rememberText
                      ? 'Kept in this browser until you forget it.'
                      : 'Kept in memory only: a reload forgets it.'
                    : 'The key goes only to your own gateway, which passes it to jiekou.ai.'}
                </p>
                {savedKey && (
                  <Button size="sm" variant="ghost" className="self-start" onClick={() => (forgetKey(), setRememberText(false))}>
                    Forget key
                  </Button>
                )}
              </div>
            )}
            <div className="flex flex-col items-start gap-2">
              <Button
                onClick={async () => {
                  const key = keyText.trim() || savedKey
                  saveKey()
                  if (provider === 'jiekou' && !key && !serverHoldsKey) return setTest(NO_KEY)
                  setTest('testing')
                  setTest(await testConnection(provider, key))
                  // The header's badge asks again too, with the key as it is now.
                  void queryClient.invalidateQueries({ queryKey: providerStatusQuery({ provider, apiKey: key }).queryKey })
                }}
                disabled={test === 'testing'}
              >
                Test connection
              </Button>
              {test === 'testing' ? (
                <p role="status" className="text-ui text-zinc-400">
                  Testing…
                </p>
              ) : test?.ok ? (
                <p role="status" className="text-ui text-emerald-400">
                  {test.message}
                </p>
              ) : test ? (
                <ErrorMessage role="status" {...test.words} />
              ) : null}
            </div>
            <Suspense fallback={<p className="text-ui-sm text-zinc-400">Loading limits and prices…</p>}>
              <SettingsLimits />
            </Suspense>
            <SettingsStorage />
            {extra && <Suspense fallback={null}>{extra}</Suspense>}
          </div>
          <div className="mt-6 flex justify-end">
            <Button variant="primary" onClick={(e) => (saveKey(), close(e))}>
              Done
            </Button>
          </div>
        </>
      )}
    </Dialog>
  )
}
