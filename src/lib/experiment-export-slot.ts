import type { ReactNode } from 'react'

/**
 * The board's Export experiment control, provided by the studio's frame (src/app): a board may not import the transfer
 * feature, so the frame registers it once, at start, loaded on demand, and neither the first paint nor the board's
 * chunk carries the zip code. Nothing until registered (a board in a test): the board then shows no Export.
 */
let render: ((experimentId: string) => ReactNode) | undefined

export function provideExperimentExport(control: (experimentId: string) => ReactNode): void {
  render = control
}

export const renderExperimentExport = (experimentId: string): ReactNode => render?.(experimentId)
