import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useId, useState, type ReactNode } from 'react'
import { getTaskResult } from '../../api/client'
import { forgetProviderKey, saveProviderKey, useConnectionActions, useProvider } from '../../api/connection-store'
import { describeError, isApiError, type ErrorWords } from '../../api/errors'
import type { ProviderId } from '../../api/gateway-urls'
import { libraryQueries } from '../../api/library-queries'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import { ErrorMessage } from '../../components/ui/error-message'
import { Segmented } from '../../components/ui/segmented'
import { libraryWords } from '../../db/submit'
import { SettingsKey } from './settings-key'
import { SettingsStorage } from './settings-storage'

// Limits and prices load when Settings opens, not with the first paint.
const SettingsLimits = lazy(() => import('./settings-limits').then((m) => ({ default: m.SettingsLimits })))

const PROVIDERS: { value: ProviderId; label: string }[] = [
  { value: 'local', label: 'Local engine' },
  { value: 'jiekou', label: 'jiekou.ai' },
]

type TestOutcome = { ok: true; message: string } | { ok: false; words: ErrorWords }

/** What Test connection says before asking anyone: jiekou.ai needs a key, kept by the gateway or on the server. */
const NO_KEY: TestOutcome = {
  ok: false,
  words: { message: 'No key yet: add your jiekou.ai key above, then test again.', details: undefined },
}

/** Asks the provider about a task id that cannot exist: "not found" means we reached it and the key works. */
async function testConnection(provider: ProviderId): Promise<TestOutcome> {
  try {
    // No key goes from here: the gateway adds the one it keeps.
    await getTaskResult({ provider }, 'connection-test', { timeoutMs: 15_000 })
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
  const { setProvider } = useConnectionActions()
  const queryClient = useQueryClient()
  const held = useQuery(libraryQueries.settings()).data?.providerKey
  const [keyText, setKeyText] = useState('')
  const [keyProblem, setKeyProblem] = useState<ErrorWords>()
  const [test, setTest] = useState<TestOutcome | 'testing'>()
  const serverHoldsKey = held?.source === 'server'

  /** Hands a newly typed key to the gateway; false when it was not kept (the field says why). */
  async function saveKey(): Promise<boolean> {
    const key = keyText.trim()
    if (!key || provider !== 'jiekou' || serverHoldsKey) return true
    try {
      await saveProviderKey(queryClient, key)
      setKeyText('')
      setKeyProblem(undefined)
      return true
    } catch (e) {
      setKeyProblem(libraryWords(e))
      return false
    }
  }

  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} className="max-h-[calc(100dvh-2rem)] w-[min(480px,92vw)] overflow-y-auto p-5">
      {() => (
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
              <SettingsKey
                value={keyText}
                onChange={setKeyText}
                onSave={() => void saveKey()}
                keptOnGateway={held?.source === 'gateway'}
                problem={keyProblem}
                onForget={() =>
                  void forgetProviderKey(queryClient).then(
                    () => setKeyProblem(undefined),
                    (e: unknown) => setKeyProblem(libraryWords(e)),
                  )
                }
              />
            )}
            <div className="flex flex-col items-start gap-2">
              <Button
                onClick={async () => {
                  const typed = keyText.trim() !== ''
                  if (!(await saveKey())) return setTest(undefined)
                  if (provider === 'jiekou' && !typed && !held?.held) return setTest(NO_KEY)
                  setTest('testing')
                  setTest(await testConnection(provider))
                  // The header's badge asks again too, with the key as it is now.
                  void queryClient.invalidateQueries({ queryKey: ['provider-status', provider] })
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
            <Button
              variant="primary"
              onClick={async (e) => {
                // Read now: the event is spent once the key has been saved.
                const dialog = e.currentTarget.closest('dialog')
                if (await saveKey()) dialog?.close()
              }}
            >
              Done
            </Button>
          </div>
        </>
      )}
    </Dialog>
  )
}
