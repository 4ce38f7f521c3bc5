import { statfs } from 'node:fs/promises'

/** The free and total bytes of the disk that holds `dir` (Settings › Storage, and the archiver's full-disk pause). */
export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await statfs(dir)
  // bavail: what this user may still write (root's reserve left out), which is what decides whether a write fits.
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }
}
