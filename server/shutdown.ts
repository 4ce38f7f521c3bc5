import type { Server } from 'node:http'
import type { MiddlewareHandler } from 'hono'
import { contractErrorResponse } from './errors.ts'
import type { Logger } from './logger.ts'
import type { DrainReport } from './engine/task-restore.ts'

/*
 * A gateway that runs unattended is stopped with SIGTERM (systemd, Docker, a deploy). It must lose nothing a client was
 * given a task id for. In order:
 * 1. It stops taking work: a submit gets 503 SERVICE_NOT_AVAILABLE with Retry-After, which the studio's queue treats
 *    as "send again later" (the same press, the same Idempotency-Key). The listener stays open meanwhile, so polls
 *    and video downloads are still answered and the studio keeps showing progress.
 * 2. The local engine starts nothing new and gives the renders in flight SHUTDOWN_GRACE_MS to end; one still running
 *    then is recorded as interrupted and rendered again after the restart. Queued tasks wait on disk.
 * 3. The listener closes: requests in flight get READS_GRACE_MS to finish, then their connections are cut.
 */

/** How long reads in flight (a poll, a video download) may still take once the engine has stopped. */
export const READS_GRACE_MS = 5_000

export interface DrainState {
  active: boolean
}

/** While draining, every POST under /api (the submits) is answered 503 with Retry-After; reads go on. */
export function refuseWorkWhileDraining(state: DrainState, retryAfterSeconds: () => number): MiddlewareHandler {
  return async (c, next) => {
    if (!state.active || c.req.method !== 'POST') return next()
    // Read it, so the client keeps its connection to read the answer (an unread upload can cost it the socket).
    await c.req.arrayBuffer().catch(() => undefined)
    const wait = retryAfterSeconds()
    c.header('Retry-After', String(wait))
    c.header('Cache-Control', 'no-store')
    return contractErrorResponse(c, 503, 'SERVICE_NOT_AVAILABLE', `The gateway is restarting. Try again in ${wait} s.`, {
      detail:
        'The gateway got a stop signal (SIGTERM or SIGINT) and takes no new tasks; tasks already submitted carry on after the restart.',
      retryAfterSeconds: wait,
    })
  }
}

/** Stops listening; requests in flight get `graceMs` to finish before their connections are cut. */
export function closeListener(server: Server, graceMs: number): Promise<void> {
  return new Promise((done) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearTimeout(cut)
      done()
    })
    // Keep-alive sockets with nothing in flight would otherwise hold close() open.
    server.closeIdleConnections()
  })
}

export interface Stoppable {
  shutdown(graceMs: number): Promise<DrainReport>
}

/** The gateway's stop, then `close` (the library: its database checkpointed and closed, its folder's lock released). */
export const closingToo = (server: Stoppable, close: () => Promise<void>): Stoppable => ({
  shutdown: async (graceMs) => {
    const report = await server.shutdown(graceMs)
    await close()
    return report
  },
})

/**
 * SIGTERM and SIGINT stop the gateway gracefully, then exit 0. A second signal means "now" (exit 1). A backstop exits
 * if the stop itself hangs. Every step is a log line, so an unattended stop can be read back.
 */
export function stopOnSignals(server: Stoppable, graceMs: number, logger: Logger, exit: (code: number) => void = process.exit): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn('shutdown.forced', { signal, detail: 'a second signal: stopping now, without waiting for renders in flight' })
      return exit(1)
    }
    stopping = true
    logger.info('shutdown.start', { signal, graceMs, detail: 'no new submits (503); renders in flight may finish' })
    setTimeout(
      () => {
        logger.error('shutdown.timeout', { detail: 'the stop took too long; exiting anyway' })
        exit(1)
      },
      graceMs + READS_GRACE_MS + 5_000,
    ).unref()
    server.shutdown(graceMs).then(
      (report) => {
        logger.info('shutdown.done', {
          finished: report.finished.length,
          interrupted: report.interrupted.length,
          queued: report.queued.length,
          detail: 'interrupted and queued tasks run after the restart',
        })
        exit(0)
      },
      (err: unknown) => {
        logger.error('shutdown.failed', { detail: (err as Error).message })
        exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}
