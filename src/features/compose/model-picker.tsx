import { Segmented } from '../../components/ui/segmented'
import { models } from '../../models'
import { useComposeActions, useModelId } from './compose-store'

/** Two (or more) models from the catalogue; switching keeps the prompt, the frames and shared parameters. */
export function ModelPicker() {
  const modelId = useModelId()
  const { setModel } = useComposeActions()
  const current = models.find((m) => m.id === modelId)
  return (
    <div>
      <Segmented
        label="Model"
        value={modelId}
        options={models.map((m) => ({ value: m.id, label: m.shortName, title: m.name }))}
        onChange={setModel}
      />
      {current && <p className="mt-1 text-ui-sm text-zinc-400">{current.description}</p>}
    </div>
  )
}
