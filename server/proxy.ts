// Placeholder until the forwarder lands (being written now).
import { Hono } from 'hono'
import type { GatewayConfig } from './config.ts'
import type { Logger } from './logger.ts'
import type { ModelSpec } from '../src/models/types.ts'
import { errorResponse } from './errors.ts'

export function createProxy(_deps: { config: GatewayConfig; models: readonly ModelSpec[]; logger: Logger }): Hono {
  const routes = new Hono()
  routes.all('*', (c) => errorResponse(c, 503, 'SERVICE_NOT_AVAILABLE', 'The forwarder is not built yet.'))
  return routes
}
