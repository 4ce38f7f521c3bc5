import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/*
 * The jiekou.ai key a designer enters in Settings, kept by the gateway so the runner can send and poll with every tab
 * closed. It lives in the data folder, in a file only its owner may read (0600), written whole or not at all. It is
 * never returned by any API (the studio learns only whether one is held), never logged (each key read is added to
 * the logger's secrets), and never exported. JIEKOU_API_KEY, when set, wins over it.
 */

export const KEY_FILE = 'provider-key'

/** What a key may look like: printable, no spaces, of a sensible length. */
export const KEY_SHAPE = /^[\x21-\x7e]{8,512}$/

export class ProviderKeyStore {
  #key: string | undefined

  private constructor(
    private readonly path: string,
    /** Told of every key held, so the logger scrubs it from every line. */
    private readonly onKey: (key: string) => void,
  ) {}

  static async open(dataDir: string, onKey: (key: string) => void = () => {}): Promise<ProviderKeyStore> {
    const store = new ProviderKeyStore(join(dataDir, KEY_FILE), onKey)
    try {
      const text = (await readFile(store.path, 'utf8')).trim()
      if (KEY_SHAPE.test(text)) {
        store.#key = text
        onKey(text)
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    return store
  }

  get(): string | undefined {
    return this.#key
  }

  async set(key: string): Promise<void> {
    if (!KEY_SHAPE.test(key)) throw new TypeError('not a key')
    this.onKey(key)
    const partial = `${this.path}.partial`
    await writeFile(partial, key, { mode: 0o600 })
    // A file that existed under another mode keeps it on some systems: say it again.
    await chmod(partial, 0o600)
    await rename(partial, this.path)
    this.#key = key
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true })
    this.#key = undefined
  }
}
