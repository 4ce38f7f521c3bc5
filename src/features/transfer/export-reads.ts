import * as z from 'zod/mini'
import { isApiError } from '../../api/errors'
import { libraryGet, listAll } from '../../api/library-client'
import {
  experimentSchema,
  frameSchema,
  sampleSchema,
  taskSchema,
  type FrameJson,
  type SampleJson,
  type TaskJson,
} from '../../api/library-schemas'
import type { ExperimentRecord, StoredRequest } from '../../db/db'
import type { ExportScope } from '../../db/transfer'

/*
 * What an export holds, read from the gateway's library: the samples of the scope whose video the gateway keeps, the
 * tasks they come from, the experiments those tasks belong to (with every finished task of each, so a board comes back
 * whole), and the frames their requests use. Deleted samples and experiments are not in the library's lists.
 */

export interface ExportContents {
  /** Samples whose video the gateway keeps (videoSha256): every one of them travels with its file. */
  samples: SampleJson[]
  tasks: TaskJson[]
  experiments: ExperimentRecord[]
  frames: FrameJson[]
  /** Samples in scope left out: their video is not kept on the gateway (not archived yet, or its link ended first). */
  skipped: number
}

/** Only finished tasks travel: an unfinished one would be polled by the gateway that imports it, which never knew it. */
const finished = (t: TaskJson) => t.finishedAt !== undefined

const frameHashes = (requests: readonly StoredRequest[]) =>
  new Set(requests.flatMap((r) => Object.values(r.frames ?? {}).flatMap((f) => (f?.kind === 'stored' ? [f.hash] : []))))

const boardSchema = z.object({ experiment: experimentSchema, tasks: z.array(taskSchema), samples: z.array(sampleSchema) })

/** A frame's description, or undefined where the library no longer has it (the export goes on without it). */
async function frameOf(hash: string, signal: AbortSignal | undefined): Promise<FrameJson | undefined> {
  try {
    return await libraryGet(`/frames/${hash}`, frameSchema, { signal })
  } catch (e) {
    if (isApiError(e) && e.status === 404) return undefined
    throw e
  }
}

export async function readExport(scope: ExportScope, signal?: AbortSignal): Promise<ExportContents> {
  let inScope: SampleJson[]
  let tasks: TaskJson[]
  let experiments: ExperimentRecord[]
  if (scope.kind === 'experiment') {
    const board = await libraryGet(`/experiments/${encodeURIComponent(scope.id)}`, boardSchema, { signal })
    inScope = board.samples.filter((s) => s.deletedAt === undefined)
    tasks = board.tasks.filter(finished)
    experiments = [board.experiment as unknown as ExperimentRecord]
  } else {
    const [allSamples, allTasks, allExperiments] = await Promise.all([
      listAll('/samples', sampleSchema, { signal }),
      listAll('/tasks', taskSchema, { signal }),
      listAll('/experiments', experimentSchema, { signal }),
    ])
    const wanted = scope.kind === 'selection' ? new Set(scope.sampleIds) : undefined
    inScope = wanted ? allSamples.filter((s) => wanted.has(s.id)) : allSamples
    const owners = new Set(inScope.map((s) => s.taskRecordId))
    const boards = new Set(allTasks.flatMap((t) => (owners.has(t.id) && t.experimentId ? [t.experimentId] : [])))
    experiments = (scope.kind === 'gallery'
      ? allExperiments
      : allExperiments.filter((e) => boards.has(e.id))) as unknown as ExperimentRecord[]
    const kept = new Set(experiments.map((e) => e.id))
    // A gallery carries every finished task; a selection the tasks of its samples and of their boards.
    tasks = allTasks.filter(
      (t) => finished(t) && (scope.kind === 'gallery' || owners.has(t.id) || (t.experimentId !== undefined && kept.has(t.experimentId))),
    )
  }
  const samples = inScope.filter((s) => s.videoSha256 !== undefined)
  const hashes = frameHashes([
    ...samples.map((s) => s.request as unknown as StoredRequest),
    ...tasks.map((t) => t.request as unknown as StoredRequest),
    ...experiments.map((e) => e.base),
  ])
  const frames: FrameJson[] = []
  for (const hash of hashes) {
    const frame = await frameOf(hash, signal)
    if (frame) frames.push(frame)
  }
  return {
    samples: samples.sort((a, b) => a.createdAt - b.createdAt || a.index - b.index),
    tasks: tasks.sort((a, b) => a.createdAt - b.createdAt),
    experiments,
    frames,
    skipped: inScope.length - samples.length,
  }
}
