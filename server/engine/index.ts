// Placeholder until the engine lands (being written now): answers nothing but the contract's 503.
import { Hono } from 'hono'
import type { EngineConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { ModelSpec } from '../../src/models/types.ts'
import { errorResponse } from '../errors.ts'

export interface Engine {
  routes: Hono
  close(): Promise<void>
}

export function createEngine(_deps: { config: EngineConfig; models: readonly ModelSpec[]; logger: Logger }): Engine {
  const routes = new Hono()
  routes.all('*', (c) => errorResponse(c, 503, 'SERVICE_NOT_AVAILABLE', 'The local engine is not built yet.'))
  return { routes, close: async () => {} }
}
