import { Suspense, lazy, useCallback, useEffect, useState, type Ref } from 'react'
import type { ProviderId } from '../../api/gateway-urls'
import { Button } from '../../components/ui/button'
import { Checkbox } from '../../components/ui/checkbox'
import { ErrorMessage } from '../../components/ui/error-message'
import { Input, Select } from '../../components/ui/input'
import type { SampleRecord, StoredRequest } from '../../db/db'
import { heldDeletions } from '../../db/held-deletions'
import { dismissSampleProblem, reportSampleProblem, useSampleProblem, useSampleWrites } from '../../db/sample-writes'
import { useSamples } from '../../db/samples'
import { useRunningTasks } from '../../db/tasks'
import { useUndoActions, useUndoables } from '../../lib/undo-store'
import { findModel, models, videoShape } from '../../models'
import { SampleGrid, type Cell } from './sample-grid'
import { matchesFilters, type GalleryFilters } from './sample-filter'
import { PROVIDER_LABEL, sampleOrdinals } from './sample-media'
import { truncate } from '../../lib/format'

// The large player loads on the first open.
const PlayerDialog = lazy(() => import('./player-dialog').then((m) => ({ default: m.PlayerDialog })))

interface GalleryProps {
  onUseSettings(request: StoredRequest, seed: string | undefined): void
  onTrySamples(): void
  /** The search field, so the studio's `/` shortcut can focus it. */
  searchRef?: Ref<HTMLInputElement> | undefined
  /** The task whose samples to scroll to, and when that was asked (asking again scrolls again). */
  reveal?: { taskRecordId: string; at: number } | undefined
}

/** How long "Show N videos" keeps the accent ring on the task's samples. */
const HIGHLIGHT_MS = 6000

export function Gallery({ onUseSettings, onTrySamples, searchRef, reveal }: GalleryProps) {
  const [filters, setFilters] = useState<GalleryFilters>({ modelId: 'all', provider: 'all', favouritesOnly: false, search: '' })
  const set = (patch: Partial<GalleryFilters>) => setFilters((f) => ({ ...f, ...patch }))
  const [openId, setOpenId] = useState<string>()
  const undoables = useUndoables()
  const undo = useUndoActions()
  const all = useSamples()
  const running = useRunningTasks()
  const writes = useSampleWrites()
  const problem = useSampleProblem()

  // A reload inside an Undo window offers that Undo again (a bulk delete is one toast again), for the time left.
  useEffect(() => {
    for (const deletion of heldDeletions()) undo.offer(writes.undoable(deletion))
  }, [undo, writes])

  // The same callbacks across renders: a card re-renders only when its own sample changes.
  const remove = useCallback(
    (sample: SampleRecord, byKeyboard: boolean) => {
      const prompt = String(sample.request.params.prompt ?? '')
      writes.deleteSamples([sample.id], deletedMessage(prompt)).then(
        (deletion) => deletion.ids.length > 0 && undo.offer(writes.undoable(deletion, byKeyboard)),
        (e: unknown) => reportSampleProblem(`${prompt ? `“${truncate(prompt, 41)}”` : 'The video'} was not deleted: `, e),
      )
    },
    [undo, writes],
  )
  const openSample = useCallback((sample: SampleRecord) => setOpenId(sample.id), [])

  // "Show N videos": the task's samples wear the accent ring for a few seconds (until this reveal has expired).
  const [expiredReveal, setExpiredReveal] = useState<number>()
  useEffect(() => {
    if (reveal === undefined) return
    const timer = setTimeout(() => setExpiredReveal(reveal.at), HIGHLIGHT_MS)
    return () => clearTimeout(timer)
  }, [reveal])
  const highlighted = reveal && reveal.at !== expiredReveal ? reveal.taskRecordId : undefined

  if (!all) return null

  const shown = all.filter((s) => matchesFilters(s, filters))
  const ordinals = sampleOrdinals(all)
  // One placeholder per sample a running task will make, newest task first, where its samples will appear.
  const placeholders = (running ?? [])
    .filter((t) => matchesFilters({ request: t.request, provider: t.provider, seed: undefined, favourite: 0 }, filters))
    .sort((a, b) => b.createdAt - a.createdAt)
    .flatMap((task) => {
      const count = videoShape(findModel(task.request.modelId), task.request.params).sampleCount
      return Array.from({ length: count }, (_, index) => ({ task, index, count }))
    })

  const cells: Cell[] = [
    ...placeholders.map((p) => ({ kind: 'placeholder' as const, ...p })),
    ...shown.map((sample) => ({ kind: 'sample' as const, sample })),
  ]
  // "Show N videos" scrolls to the first of the task's samples that the filters let through.
  const revealedId = reveal && shown.find((s) => s.taskRecordId === reveal.taskRecordId)?.id
  const openIndex = shown.findIndex((s) => s.id === openId)
  const open = shown[openIndex]
  // The open sample left the list (deleted, or filtered out as it changed): the player closes for good.
  if (openId && !open) setOpenId(undefined)

  return (
    <section aria-label="Gallery" className="relative flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-end gap-3 pb-3">
        <label className="flex flex-col gap-1 text-ui text-zinc-400">
          Model filter
          <Select value={filters.modelId} onChange={(e) => set({ modelId: e.target.value })}>
            <option value="all">All models</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.shortName}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-ui text-zinc-400">
          Provider filter
          <Select value={filters.provider} onChange={(e) => set({ provider: e.target.value as ProviderId | 'all' })}>
            <option value="all">All</option>
            {(Object.keys(PROVIDER_LABEL) as ProviderId[]).map((p) => (
              <option key={p} value={p}>
                {PROVIDER_LABEL[p]}
              </option>
            ))}
          </Select>
        </label>
        <Checkbox
          className="h-8"
          label="Favourites only"
          checked={filters.favouritesOnly}
          onChange={(e) => set({ favouritesOnly: e.target.checked })}
        />
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-ui text-zinc-400">
          Search
          <Input
            ref={searchRef}
            type="search"
            placeholder="Prompt or seed"
            value={filters.search}
            onChange={(e) => set({ search: e.target.value })}
          />
        </label>
        <span className="pb-1.5 text-ui tabular text-zinc-400">{`${shown.length} of ${all.length}`}</span>
      </div>
      {problem && (
        <div className="mb-3 flex items-start justify-between gap-3 rounded-control border border-red-900/60 px-3 py-2">
          <ErrorMessage error={problem.error} lead={problem.lead} />
          <Button size="sm" variant="ghost" onClick={dismissSampleProblem}>
            Dismiss
          </Button>
        </div>
      )}
      {all.length === 0 && placeholders.length === 0 ? (
        <div className="flex flex-1 flex-col items-center justify-center gap-3 rounded-card border border-dashed border-line p-10 text-center">
          <p className="max-w-md text-ui-lg text-zinc-300">Your videos will appear here. Drop a frame on the left, or start with ours.</p>
          <Button variant="primary" onClick={onTrySamples}>
            Try with sample frames
          </Button>
        </div>
      ) : (
        <SampleGrid
          cells={cells}
          ordinals={ordinals}
          highlighted={highlighted}
          reveal={reveal && revealedId ? { sampleId: revealedId, at: reveal.at } : undefined}
          toastRoom={undoables.length > 0}
          onOpen={openSample}
          onUseSettings={onUseSettings}
          onDelete={remove}
        />
      )}
      {open && (
        <Suspense fallback={null}>
          <PlayerDialog
            sample={open}
            ordinal={ordinals.get(open.id)}
            position={`${openIndex + 1} of ${shown.length}`}
            onPrevious={openIndex > 0 ? () => setOpenId(shown[openIndex - 1]!.id) : undefined}
            onNext={openIndex < shown.length - 1 ? () => setOpenId(shown[openIndex + 1]!.id) : undefined}
            onClose={() => setOpenId(undefined)}
          />
        </Suspense>
      )}
    </section>
  )
}

/** "Deleted “slow push in”.", the prompt cut at a word-ish 40 characters. */
function deletedMessage(prompt: string): string {
  if (!prompt) return 'Deleted a video.'
  return `Deleted “${truncate(prompt, 41)}”.`
}
