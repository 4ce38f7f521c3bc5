import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import type { FrameRef, StoredRequest } from '../../db/db'
import { findModel, models, type FrameSlot, type ParamKey, type ParamValue } from '../../models'

interface ComposeState {
  modelId: string
  params: Partial<Record<ParamKey, ParamValue>>
  frames: Partial<Record<FrameSlot, FrameRef>>
  /** When off, the seed is cleared after each Generate so the next one draws a new seed. */
  seedLocked: boolean
}

interface ComposeActions {
  setModel(modelId: string): void
  setParam(key: ParamKey, value: ParamValue): void
  setFrame(slot: FrameSlot, frame: FrameRef | undefined): void
  swapFrames(): void
  setSeedLocked(locked: boolean): void
  /** "Use these settings": the whole request, frames included; a given seed is set and locked. */
  load(request: StoredRequest, seed?: number): void
  afterGenerate(): void
}

/** Every field's default across the catalogue; the draft is model-independent so switching keeps it. */
function initialParams(): ComposeState['params'] {
  const params: ComposeState['params'] = { prompt: '', negative_prompt: '', generate_audio: false }
  for (const model of models)
    for (const f of model.fields) if (params[f.key] === undefined && f.default !== undefined) params[f.key] = f.default
  return params
}

const useComposeStore = create<ComposeState & { actions: ComposeActions }>()(
  persist(
    (set) => ({
      modelId: models[0]?.id ?? '',
      params: initialParams(),
      frames: {},
      seedLocked: false,
      actions: {
        setModel: (modelId) => set({ modelId }),
        setParam: (key, value) => set((s) => ({ params: { ...s.params, [key]: value } })),
        setFrame: (slot, frame) => set((s) => ({ frames: { ...s.frames, [slot]: frame } })),
        swapFrames: () => set((s) => ({ frames: { first: s.frames.last, last: s.frames.first } })),
        setSeedLocked: (seedLocked) => set({ seedLocked }),
        load: (request, seed) =>
          set((s) => ({
            modelId: findModel(request.modelId) ? request.modelId : (models[0]?.id ?? ''),
            params: { ...initialParams(), ...request.params, ...(seed === undefined ? {} : { seed }) },
            frames: { ...request.frames },
            seedLocked: seed === undefined ? s.seedLocked : true,
          })),
        afterGenerate: () => set((s) => (s.seedLocked ? s : { params: { ...s.params, seed: undefined } })),
      },
    }),
    {
      name: 'veo-studio.draft',
      version: 1,
      partialize: ({ modelId, params, frames, seedLocked }) => ({ modelId, params, frames, seedLocked }),
    },
  ),
)

export const useModelId = () => useComposeStore((s) => s.modelId)
export const useParams = () => useComposeStore((s) => s.params)
export const useParam = (key: ParamKey) => useComposeStore((s) => s.params[key])
export const useFrames = () => useComposeStore((s) => s.frames)
export const useSeedLocked = () => useComposeStore((s) => s.seedLocked)
export const useComposeActions = () => useComposeStore((s) => s.actions)

/** A draft as a request: only the frames the chosen model takes. */
export function toStoredRequest({ modelId, params, frames }: Pick<ComposeState, 'modelId' | 'params' | 'frames'>): StoredRequest {
  const taken: StoredRequest['frames'] = {}
  for (const spec of findModel(modelId)?.frames ?? []) if (frames[spec.slot]) taken[spec.slot] = frames[spec.slot]
  return { modelId, params: { ...params }, frames: taken }
}

/** The request as it stands now (outside render). */
export const currentRequest = () => toStoredRequest(useComposeStore.getState())
