import { Hono } from 'hono'
import * as z from 'zod'
import { contractErrorResponse } from '../../errors.ts'
import { jsonb } from '../db/db.ts'
import type { Library } from '../library.ts'
import { KEY_SHAPE } from '../provider-key.ts'
import { DEFAULT_REQUESTS_PER_MINUTE } from '../runner/runner.ts'
import type { LibraryEnv } from './http.ts'

/*
 * Settings the gateway itself needs while no tab is open: the requests per minute its runner keeps to, and the
 * jiekou.ai key. The key goes one way: it can be set or cleared, and the studio learns only whether one is held and
 * where from, never the key. A key in JIEKOU_API_KEY wins, and then none can be set here.
 */

const rpmSchema = z.strictObject({ requestsPerMinute: z.number().int().min(1).max(600) })
const keySchema = z.strictObject({ key: z.string() })

export function settingsRoutes(library: Library, serverKey: () => string | undefined): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()
  const { db } = library.store
  // The key's file is written one change at a time: two saves at once (two tabs, a double press) shared one temporary
  // file, and the second rename found it gone (a 500, found by the library fuzz).
  let keyChanges: Promise<unknown> = Promise.resolve()
  const oneAtATime = (change: () => Promise<void>): Promise<void> => {
    const done = keyChanges.then(change, change)
    keyChanges = done.catch(() => undefined)
    return done
  }

  app.get('/', async (c) => {
    const row = await db
      .selectFrom('settings')
      .select('value')
      .where('workspace_id', '=', c.get('workspace'))
      .where('key', '=', 'requestsPerMinute')
      .executeTakeFirst()
    const source = serverKey() ? 'server' : library.providerKey.get() ? 'gateway' : null
    return c.json({
      requestsPerMinute: typeof row?.value === 'number' ? row.value : DEFAULT_REQUESTS_PER_MINUTE,
      providerKey: { held: source !== null, source },
    })
  })

  app.patch('/', async (c) => {
    const parsed = rpmSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success)
      return contractErrorResponse(
        c,
        400,
        'INVALID_REQUEST_BODY',
        'Requests per minute must be a whole number from 1 to 600: send {"requestsPerMinute": 10}.',
      )
    const ws = c.get('workspace')
    const event = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('settings')
        .values({ workspace_id: ws, key: 'requestsPerMinute', value: jsonb(parsed.data.requestsPerMinute) })
        .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ value: jsonb(parsed.data.requestsPerMinute) }))
        .execute()
      return library.feed.record(trx, ws, 'settings', ['requestsPerMinute'])
    })
    library.feed.announce(event)
    return c.json({ requestsPerMinute: parsed.data.requestsPerMinute })
  })

  app.put('/provider-key', async (c) => {
    if (serverKey())
      return contractErrorResponse(
        c,
        409,
        'ACCESS_DENY',
        'The gateway holds its own key (JIEKOU_API_KEY), so no key is kept from Settings. Ask whoever runs the gateway to change it.',
      )
    const parsed = keySchema.safeParse(await c.req.json().catch(() => undefined))
    const key = parsed.success ? parsed.data.key.trim() : ''
    if (!KEY_SHAPE.test(key))
      return contractErrorResponse(
        c,
        400,
        'INVALID_REQUEST_BODY',
        'API key: paste the key from your jiekou.ai console (8 to 512 characters, no spaces).',
        {
          detail: 'send {"key": "<your key>"}',
        },
      )
    await oneAtATime(() => library.providerKey.set(key))
    library.feed.announce(await library.feed.record(db, c.get('workspace'), 'settings', ['providerKey']))
    return c.json({ providerKey: { held: true, source: 'gateway' } })
  })

  app.delete('/provider-key', async (c) => {
    await oneAtATime(() => library.providerKey.clear())
    library.feed.announce(await library.feed.record(db, c.get('workspace'), 'settings', ['providerKey']))
    return c.json({ providerKey: { held: Boolean(serverKey()), source: serverKey() ? 'server' : null } })
  })

  return app
}
