import { useId } from 'react'
import type { IntegerField } from '../../models'
import { useComposeActions, useParam, useSeedLocked } from './compose-store'
import { Button } from '../../components/ui/button'
import { DiceIcon, LockIcon } from '../../components/ui/icons'
import { Input } from '../../components/ui/input'
import { seedProblem, seedRange } from './request-check'

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
}

/**
 * Seed: empty means "let the provider draw one" (the drawn seed comes back with the result).
 * Random fills in a fresh seed; Lock keeps the seed for the next Generate instead of clearing it.
 */
export function SeedField({ field }: { field: IntegerField }) {
  const id = useId()
  const value = useParam('seed')
  const locked = useSeedLocked()
  const { setParam, setSeedLocked } = useComposeActions()
  const problem = seedProblem(field, value)
  const invalid = Boolean(problem)

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-ui text-zinc-400">
        {field.label}
      </label>
      <div className="flex items-center gap-1.5">
        <Input
          id={id}
          type="number"
          inputMode="numeric"
          min={field.min}
          max={field.max}
          step={1}
          placeholder="Random"
          aria-invalid={invalid}
          aria-describedby={`${id}-help`}
          className="flex-1 tabular"
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => setParam('seed', e.target.value === '' ? undefined : Number(e.target.value))}
        />
        <Button size="md" variant="secondary" onClick={() => setParam('seed', randomSeed())} title="Fill in a new random seed">
          <DiceIcon /> Random
        </Button>
        <label className="relative inline-flex h-8 cursor-pointer items-center gap-1.5 rounded-control border border-line px-2 text-ui text-zinc-300 has-[:checked]:border-accent has-[:checked]:text-zinc-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent">
          <input
            type="checkbox"
            className="absolute inset-0 m-0 cursor-pointer appearance-none opacity-0"
            checked={locked}
            onChange={(e) => setSeedLocked(e.target.checked)}
          />
          <LockIcon /> Lock
        </label>
      </div>
      <p id={`${id}-help`} className="mt-0.5 text-ui-sm text-zinc-400">
        {problem ??
          (locked
            ? `Kept for the next Generate. ${seedRange(field)}.`
            : `${seedRange(field)}. Empty draws a new seed each time; the seed used is shown on each result.`)}
      </p>
    </div>
  )
}
