import { useProvider } from '../api/connection-store'
import { Button } from '../components/ui/button'
import { useRunningTaskCount } from '../db/tasks'

interface HeaderProps {
  tasksOpen: boolean
  onToggleTasks(): void
  onShortcuts(): void
  onSettings(): void
}

/** The studio's top bar: which provider runs the tasks, how many are running, and the studio-wide buttons. */
export function Header({ tasksOpen, onToggleTasks, onShortcuts, onSettings }: HeaderProps) {
  const provider = useProvider()
  const running = useRunningTaskCount()
  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-panel px-4">
      <h1 className="text-ui-lg font-semibold tracking-tight text-zinc-50">Veo Studio</h1>
      <span
        className="inline-flex items-center gap-1.5 rounded-full border border-line px-2 py-0.5 text-ui-sm text-zinc-300"
        title={provider === 'local' ? 'Local preview: motion from your frames, not AI.' : 'Requests go to Google Veo through jiekou.ai.'}
      >
        <span
          className={provider === 'local' ? 'size-1.5 rounded-full bg-emerald-400' : 'size-1.5 rounded-full bg-accent'}
          aria-hidden="true"
        />
        {provider === 'local' ? 'Local engine' : 'jiekou.ai'}
      </span>
      {running > 0 && <span className="text-ui-sm tabular text-zinc-400">{`${running} running`}</span>}
      <Button className="ml-auto" variant="ghost" aria-expanded={tasksOpen} aria-controls="tasks-panel" onClick={onToggleTasks}>
        Tasks
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
