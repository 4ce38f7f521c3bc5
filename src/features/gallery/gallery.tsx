import { useState, type Ref } from 'react'
import { Button } from '../../components/ui/button'
import { Checkbox } from '../../components/ui/checkbox'
import { Input, Select } from '../../components/ui/input'
import type { SampleRecord, StoredRequest } from '../../db/db'
import { useSamples } from '../../db/samples'
import { models } from '../../models'
import { PlayerDialog } from './player-dialog'
import { SampleCard } from './sample-card'

interface GalleryProps {
  onUseSettings(request: StoredRequest, seed: string | undefined): void
  onTrySamples(): void
  /** The search field, so the studio's `/` shortcut can focus it. */
  searchRef?: Ref<HTMLInputElement> | undefined
  /** The task whose samples to scroll to, and when that was asked (asking again scrolls again). */
  reveal?: { taskRecordId: string; at: number } | undefined
}

export function Gallery({ onUseSettings, onTrySamples, searchRef, reveal }: GalleryProps) {
  const [modelFilter, setModelFilter] = useState('all')
  const [favouritesOnly, setFavouritesOnly] = useState(false)
  const [text, setText] = useState('')
  const [open, setOpen] = useState<SampleRecord>()
  const all = useSamples()
  if (!all) return null

  const needle = text.trim().toLowerCase()
  const shown = all.filter(
    (s) =>
      (modelFilter === 'all' || s.request.modelId === modelFilter) &&
      (!favouritesOnly || s.favourite === 1) &&
      (!needle ||
        String(s.request.params.prompt ?? '')
          .toLowerCase()
          .includes(needle) ||
        s.seed === needle),
  )

  // "Show N videos" scrolls to the first of the task's samples that the filters let through.
  const revealedId = reveal && shown.find((s) => s.taskRecordId === reveal.taskRecordId)?.id

  return (
    <section aria-label="Gallery" className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-end gap-3 pb-3">
        <label className="flex flex-col gap-1 text-ui text-zinc-400">
          Model filter
          <Select value={modelFilter} onChange={(e) => setModelFilter(e.target.value)}>
            <option value="all">All models</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.shortName}
              </option>
            ))}
          </Select>
        </label>
        <Checkbox className="h-8" label="Favourites only" checked={favouritesOnly} onChange={(e) => setFavouritesOnly(e.target.checked)} />
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-ui text-zinc-400">
          Search
          <Input ref={searchRef} type="search" placeholder="Prompt or seed" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <span className="pb-1.5 text-ui tabular text-zinc-400">{`${shown.length} of ${all.length}`}</span>
      </div>
      {all.length === 0 ? (
        <div className="flex flex-1 flex-col items-center justify-center gap-3 rounded-card border border-dashed border-line p-10 text-center">
          <p className="max-w-md text-ui-lg text-zinc-300">Your videos will appear here. Drop a frame on the left, or start with ours.</p>
          <Button variant="primary" onClick={onTrySamples}>
            Try with sample frames
          </Button>
        </div>
      ) : (
        <ul className="grid grid-cols-[repeat(auto-fill,minmax(260px,1fr))] items-start gap-3 overflow-y-auto" aria-label="Samples">
          {shown.map((s) => (
            <li key={s.id}>
              <SampleCard
                sample={s}
                onOpen={setOpen}
                onUseSettings={onUseSettings}
                revealAt={s.id === revealedId ? reveal?.at : undefined}
              />
            </li>
          ))}
        </ul>
      )}
      {open && <PlayerDialog sample={open} onClose={() => setOpen(undefined)} />}
    </section>
  )
}
