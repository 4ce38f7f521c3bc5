import { useQuery } from '@tanstack/react-query'
import { useProvider } from '../api/connection-store'
import { providerStatusQuery, type ProviderStatus } from '../api/queries'
import { Button } from '../components/ui/button'
import { cn } from '../lib/cn'
import { useRunningTasks } from '../db/tasks'

interface HeaderProps {
  tasksOpen: boolean
  onToggleTasks(): void
  onShortcuts(): void
  onSettings(): void
}

/** What the badge adds after the provider's name, and its dot, per state of the light check. */
const STATE: Record<ProviderStatus['state'], { suffix: string; tone: 'error' | 'warn' } | undefined> = {
  ok: undefined,
  unreachable: { suffix: 'unreachable', tone: 'error' },
  'key-refused': { suffix: 'key refused', tone: 'error' },
  'no-key': { suffix: 'no key', tone: 'warn' },
}
const DOT = { error: 'bg-red-500', warn: 'bg-amber-400' } as const

/** The studio's top bar: which provider runs the tasks and whether it answers, how many are running, the buttons. */
export function Header({ tasksOpen, onToggleTasks, onShortcuts, onSettings }: HeaderProps) {
  const provider = useProvider()
  // The same live read the pollers and the gallery use: one scan of the tasks, not another.
  const running = useRunningTasks()?.length ?? 0
  const status = useQuery(providerStatusQuery({ provider })).data
  const trouble = status && STATE[status.state]
  const about = provider === 'local' ? 'Local preview: motion from your frames, not AI.' : 'Requests go to Google Veo through jiekou.ai.'
  // The title carries the reason in full: the plain sentence, then the codes a developer would want.
  const title = status?.words ? [status.words.message, status.words.details].filter(Boolean).join('\n') : about
  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-panel px-4">
      <h1 className="text-ui-lg font-semibold tracking-tight text-zinc-50">Veo Studio</h1>
      <span
        className={cn(
          'inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-ui-sm text-zinc-300',
          trouble?.tone === 'error' ? 'border-red-900/70' : 'border-line',
        )}
        title={title}
      >
        <span
          className={cn('size-1.5 rounded-full', trouble ? DOT[trouble.tone] : provider === 'local' ? 'bg-emerald-400' : 'bg-accent')}
          aria-hidden="true"
        />
        <span>{provider === 'local' ? 'Local engine' : 'jiekou.ai'}</span>
        {trouble && <span className={trouble.tone === 'error' ? 'text-red-300' : 'text-amber-300'}>{`· ${trouble.suffix}`}</span>}
      </span>
      {running > 0 && <span className="hidden text-ui-sm tabular text-zinc-400 xl:inline">{`${running} running`}</span>}
      <Button className="ml-auto" variant="ghost" aria-expanded={tasksOpen} aria-controls="tasks-panel" onClick={onToggleTasks}>
        Tasks
        {/* Below 1280 px the tasks are a drawer: the count on its button says there is something to open. */}
        {running > 0 && <span className="rounded-full bg-zinc-800 px-1.5 text-ui-sm tabular text-zinc-200 xl:hidden">{` ${running}`}</span>}
      </Button>
      <Button variant="ghost" onClick={onShortcuts} title="Keyboard shortcuts (?)">
        Shortcuts
      </Button>
      <Button variant="ghost" onClick={onSettings}>
        Settings
      </Button>
    </header>
  )
}
