// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { sha256Hex } from '../lib/bytes'
import { db, type ExperimentRecord, type TaskRecord } from './db'
import { readExport, storedVideoHashes, writeImport, type IncomingArchive } from './transfer'

afterEach(async () => {
  await db.delete()
  await db.open()
})

const task = (id: string, extra: Partial<TaskRecord> = {}): TaskRecord => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request: { modelId: 'm', params: { prompt: id }, frames: {} },
  createdAt: 1,
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  finishedAt: 2,
  videoCount: 1,
  ...extra,
})
const experiment = (id: string): ExperimentRecord => ({
  id,
  name: id,
  createdAt: 1,
  base: { modelId: 'm', params: {}, frames: {} },
  rows: ['a'],
  columns: [{ seed: 1 }],
  marks: { '0:0': { winner: true, note: 'best' } },
})
const video = (text: string) => new Blob([text], { type: 'video/mp4' })

async function seed() {
  await db.tasks.bulkPut([task('t1'), task('t2', { experimentId: 'e1', cell: { row: 0, col: 0 } }), task('run', { finishedAt: undefined })])
  await db.experiments.put(experiment('e1'))
  await db.samples.bulkPut([
    sampleRecord({ taskRecordId: 'local:t1', stored: true }),
    sampleRecord({ taskRecordId: 'local:t2', stored: true }),
    sampleRecord({ taskRecordId: 'local:gone', stored: true, deletedAt: 5 }),
    sampleRecord({ taskRecordId: 'local:nocopy', stored: false }),
  ])
  await db.videos.bulkPut([
    { sampleId: 'local:t1#0', blob: video('one') },
    { sampleId: 'local:t2#0', blob: video('two') },
    { sampleId: 'local:gone#0', blob: video('gone') },
  ])
}

describe('readExport', () => {
  it('a gallery: every sample with its copy, finished tasks only, the experiments; deleted and uncopied ones left out', async () => {
    await seed()
    const c = await readExport({ kind: 'gallery' })
    expect(c.samples.map((s) => s.id).sort()).toEqual(['local:t1#0', 'local:t2#0'])
    expect(c.tasks.map((t) => t.id).sort()).toEqual(['local:t1', 'local:t2'])
    expect(c.experiments.map((e) => e.id)).toEqual(['e1'])
    expect(c.skipped).toBe(1)
  })

  it('a gallery leaves out an experiment deleted but still in its Undo window: its tasks, samples and frames too', async () => {
    await seed()
    const frame = 'f'.repeat(64)
    await db.frames.put({
      hash: frame,
      blob: new Blob(['png']),
      mime: 'image/png',
      width: 1,
      height: 1,
      bytes: 3,
      name: 'f.png',
      addedAt: 1,
    })
    const request = {
      modelId: 'm',
      params: {},
      frames: { first: { kind: 'stored' as const, hash: frame, mime: 'image/png' as const, width: 1, height: 1, bytes: 3, name: 'f.png' } },
    }
    await db.experiments.put({ ...experiment('e2'), deletedAt: 9 })
    await db.tasks.put(task('t3', { experimentId: 'e2', request }))
    await db.samples.put(sampleRecord({ taskRecordId: 'local:t3', stored: true, deletedAt: 9, request }))
    await db.videos.put({ sampleId: 'local:t3#0', blob: video('three') })
    const c = await readExport({ kind: 'gallery' })
    expect(c.experiments.map((e) => e.id)).toEqual(['e1'])
    expect(c.tasks.map((t) => t.id).sort()).toEqual(['local:t1', 'local:t2'])
    expect(c.samples.map((s) => s.id).sort()).toEqual(['local:t1#0', 'local:t2#0'])
    expect(c.frames).toEqual([])
  })

  it('a selection brings the experiment its sample belongs to; an experiment brings its tasks and samples only', async () => {
    await seed()
    const selection = await readExport({ kind: 'selection', sampleIds: ['local:t2#0'] })
    expect(selection.experiments.map((e) => e.id)).toEqual(['e1'])
    expect(selection.tasks.map((t) => t.id)).toEqual(['local:t2'])
    const board = await readExport({ kind: 'experiment', id: 'e1' })
    expect(board.samples.map((s) => s.id)).toEqual(['local:t2#0'])
    expect(board.tasks.map((t) => t.id)).toEqual(['local:t2'])
  })
})

describe('storedVideoHashes', () => {
  it('hashes only stored videos of the same size as an incoming one', async () => {
    await seed()
    const two = await sha256Hex(video('two'))
    const { owners, computed } = await storedVideoHashes(new Map([[two, 3]]))
    expect(owners.get(two)).toBe('local:t2#0')
    // "one" has three bytes too and was hashed; "gone" (deleted) was not.
    expect([...computed.keys()].sort()).toEqual(['local:t1#0', 'local:t2#0'])
  })
})

describe('writeImport', () => {
  const incoming = (over: Partial<IncomingArchive> = {}): IncomingArchive => ({
    samples: [{ record: sampleRecord({ taskRecordId: 'local:t9', stored: true }), video: { blob: video('nine'), sha256: 'h9' } }],
    tasks: [task('t9')],
    experiments: [experiment('e9')],
    frames: [],
    known: { owners: new Map(), computed: new Map() },
    ...over,
  })

  it('adds what is new, keeps its hash, and hides imported tasks from the strip', async () => {
    const counts = await writeImport(incoming())
    expect(counts).toEqual({ samples: { added: 1, present: 0 }, experiments: { added: 1, present: 0 }, tasks: 1, frames: 0 })
    expect(await db.videos.get('local:t9#0')).toMatchObject({ sha256: 'h9' })
    expect(await db.tasks.get('local:t9')).toMatchObject({ dismissed: true })
  })

  it('a second import of the same archive adds nothing', async () => {
    await writeImport(incoming())
    const counts = await writeImport(incoming())
    expect(counts).toMatchObject({ samples: { added: 0, present: 1 }, experiments: { added: 0, present: 1 }, tasks: 0 })
    expect(await db.samples.count()).toBe(1)
  })

  it('a sample whose video equals a stored one is the same sample, whatever its id', async () => {
    const counts = await writeImport(incoming({ known: { owners: new Map([['h9', 'local:other#0']]), computed: new Map() } }))
    expect(counts.samples).toEqual({ added: 0, present: 1 })
    expect(await db.samples.get('local:t9#0')).toBeUndefined()
  })

  it('a failure part-way writes nothing at all', async () => {
    // A second sample without its key fails the write after the tasks, the experiment and the first sample were put.
    const good = incoming().samples[0]!
    const broken = incoming({ samples: [good, { ...good, record: { ...good.record, id: undefined as never } }] })
    await expect(writeImport(broken)).rejects.toThrow(/./)
    expect(await db.tasks.count()).toBe(0)
    expect(await db.experiments.count()).toBe(0)
    expect(await db.samples.count()).toBe(0)
  })
})
