/** Waits for `read` to give a value (anything but undefined), asking every `everyMs`; throws after `timeoutMs`. */
export async function until<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`nothing came within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
