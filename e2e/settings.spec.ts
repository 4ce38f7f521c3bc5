import { statSync, existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { freePort, gatewayDirs, startGateway, type OwnGateway } from './own-gateway'

/*
 * Settings › API key (issue 18): the jiekou.ai key goes to the gateway, which keeps it in its data folder for its
 * runner, passes it to jiekou.ai, and never gives it back; the browser keeps none. JIEKOU_API_KEY, when set, wins.
 * The key is the gateway's, for every workspace: this test runs on a gateway of its own, so that no other test
 * meets a key it did not expect.
 */

const KEY = 'test-key-not-real-123456'
const SERVER_KEY = 'server-key-not-real-987654'

/** A stand-in for jiekou.ai that notes the key each request came with and knows no task. */
async function keyRecorder(): Promise<{ url: string; keys: string[]; close(): Promise<void> }> {
  const keys: string[] = []
  const server: Server = createServer((req, res) => {
    keys.push(req.headers.authorization ?? '')
    res.writeHead(404, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ code: 404, reason: 'TASK_NOT_FOUND', message: 'task not found', metadata: {} }))
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}`, keys, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** Everything this origin keeps in the browser: local and session storage, and every IndexedDB record. */
const browserStorage = (page: Page) =>
  page.evaluate(async () => {
    const records: unknown[] = [{ ...localStorage }, { ...sessionStorage }, document.cookie]
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.addEventListener('success', () => resolve(open.result))
        open.addEventListener('error', () => reject(open.error))
      })
      for (const store of db.objectStoreNames) {
        const all = db.transaction(store).objectStore(store).getAll()
        records.push(await new Promise((resolve) => all.addEventListener('success', () => resolve(all.result))))
      }
      db.close()
    }
    return JSON.stringify(records)
  })

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('radio', { name: 'jiekou.ai' }).check()
  return dialog
}

test('settings: the key goes to the gateway, is never shown back nor kept in the browser, and JIEKOU_API_KEY wins', async ({ browser }) => {
  test.setTimeout(240_000)
  const upstream = await keyRecorder()
  const dirs = gatewayDirs('settings')
  const port = await freePort()
  const env = { JIEKOU_BASE_URL: upstream.url }
  let gateway: OwnGateway | undefined = await startGateway(port, dirs, env)
  const context = await browser.newContext({ baseURL: gateway.url })
  try {
    const page = await context.newPage()
    // The browser sends no key anywhere: the gateway adds the one it keeps.
    const browserKeys: string[] = []
    page.on('request', (r) => {
      const auth = r.headers()['authorization']
      if (auth) browserKeys.push(`${r.url()}: ${auth}`)
    })
    await page.goto('/')
    let dialog = await openSettings(page)
    let key = dialog.getByLabel('API key')
    await expect(key).toHaveAttribute('type', 'password')
    await expect(key).toHaveAttribute('placeholder', 'Paste your jiekou.ai key')
    await key.fill(KEY)
    const saved = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/api/library/settings/provider-key'))
    await dialog.getByRole('button', { name: 'Test connection' }).click()
    expect((await saved).postDataJSON()).toEqual({ key: KEY })
    // The gateway passed the key it now keeps to jiekou.ai (here, the recorder), which knew the key and no such task.
    await expect(dialog.getByRole('status')).toHaveText('Connected to jiekou.ai; the key was accepted.')
    expect(upstream.keys).toContain(`Bearer ${KEY}`)
    // Never shown back: the field empties, and says a key is kept.
    await expect(key).toHaveValue('')
    await expect(key).toHaveAttribute('placeholder', 'A key is kept on the gateway')
    const settings = await page.request.get('/api/library/settings')
    expect(await settings.json()).toMatchObject({ providerKey: { held: true, source: 'gateway' } })
    expect(await settings.text()).not.toContain(KEY)
    // Kept in the data folder, readable by its owner alone.
    expect(statSync(join(dirs.library, 'provider-key')).mode & 0o777).toBe(0o600)
    await dialog.getByRole('button', { name: 'Done' }).click()
    // The header's badge names the provider now in use.
    await expect(page.getByRole('banner').getByText('jiekou.ai', { exact: true })).toBeVisible()

    await page.reload()
    dialog = await openSettings(page)
    key = dialog.getByLabel('API key')
    await expect(key).toHaveValue('')
    await expect(key).toHaveAttribute('placeholder', 'A key is kept on the gateway')
    await expect(page.locator('body')).not.toContainText(KEY)
    expect(await browserStorage(page)).not.toContain(KEY)
    expect(browserKeys).toEqual([])
    expect(gateway.output(), 'the gateway logs no key').not.toContain(KEY)

    // Forget key: the gateway's copy goes.
    await dialog.getByRole('button', { name: 'Forget key' }).click()
    await expect(key).toHaveAttribute('placeholder', 'Paste your jiekou.ai key')
    expect(await (await page.request.get('/api/library/settings')).json()).toMatchObject({ providerKey: { held: false, source: null } })
    expect(existsSync(join(dirs.library, 'provider-key'))).toBe(false)
    // Enter keeps a key again.
    await key.fill(KEY)
    await key.press('Enter')
    await expect(key).toHaveAttribute('placeholder', 'A key is kept on the gateway')
    await expect(key).toHaveValue('')

    // The gateway started again with JIEKOU_API_KEY: that key wins over the one kept from Settings.
    await gateway.stop()
    gateway = undefined
    gateway = await startGateway(port, dirs, { ...env, JIEKOU_API_KEY: SERVER_KEY })
    await page.reload()
    dialog = await openSettings(page)
    await expect(dialog.getByText('The server holds the key. You do not need to enter one.')).toBeVisible()
    await expect(dialog.getByLabel('API key')).toHaveCount(0)
    const before = upstream.keys.length
    await dialog.getByRole('button', { name: 'Test connection' }).click()
    await expect(dialog.getByRole('status')).toHaveText('Connected to jiekou.ai; the key was accepted.')
    expect(upstream.keys.slice(before)).toContain(`Bearer ${SERVER_KEY}`)
    expect(upstream.keys.slice(before)).not.toContain(`Bearer ${KEY}`)
    // And none can be kept from Settings meanwhile, in words that say why.
    const refused = await page.request.put('/api/library/settings/provider-key', { data: { key: KEY } })
    expect(refused.status()).toBe(409)
    expect(((await refused.json()) as { message: string }).message).toMatch(/^The gateway holds its own key \(JIEKOU_API_KEY\)/)
    expect(gateway.output(), 'the gateway logs no key').not.toMatch(new RegExp(`${KEY}|${SERVER_KEY}`))
    expect(browserKeys).toEqual([])
  } finally {
    await context.close()
    await gateway?.stop()
    await upstream.close()
    dirs.remove()
  }
})
