/*
 * Whether this browser still has the old library (IndexedDB 'veo-studio'), asked at every start without Dexie and
 * without creating the database: only when it is there does the move (and Dexie with it) load.
 */

/** The old library's database, as the previous version named it (db/legacy-library.ts opens it). */
const NAME = 'veo-studio'

export async function oldLibraryPresent(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false
  try {
    if (typeof indexedDB.databases === 'function') return (await indexedDB.databases()).some((d) => d.name === NAME)
  } catch {
    // Some browsers refuse to list (a private window): ask by opening instead.
  }
  // Opened without a version: a database that is not there would be created, at version 1, in an upgrade. That upgrade
  // is aborted, so nothing is created, and the answer is "not there".
  return new Promise((resolve) => {
    const request = indexedDB.open(NAME)
    let created = false
    request.addEventListener('upgradeneeded', () => {
      created = true
      request.transaction?.abort()
    })
    request.addEventListener('success', () => {
      request.result.close()
      resolve(!created)
    })
    request.addEventListener('error', (event) => {
      // An aborted creation is the expected answer here, not an error to report.
      event.preventDefault()
      resolve(false)
    })
    request.addEventListener('blocked', () => resolve(true))
  })
}
