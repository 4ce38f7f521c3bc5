/*
 * Seeding through the gateway's own API, as a migration or an import does: files put by their SHA-256
 * (PUT /api/library/blobs/<sha256>), then the records (POST /api/library/import, in parts of at most 2,000). Used by
 * the e2e seeds and the bench, with Playwright's request context (which carries the test's workspace header).
 */
import type { APIRequestContext } from '@playwright/test'
import { createHash } from 'node:crypto'

const PART = 2000

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Puts a file in the gateway's blob store; returns its SHA-256. */
export async function putBlob(request: APIRequestContext, bytes: Buffer, mime: string): Promise<string> {
  const sha = sha256Hex(bytes)
  const res = await request.put(`/api/library/blobs/${sha}`, { data: bytes, headers: { 'Content-Type': mime } })
  if (!res.ok()) throw new Error(`PUT /blobs/${sha}: ${res.status()} ${await res.text()}`)
  return sha
}

export interface ImportRecords {
  tasks?: Record<string, unknown>[]
  samples?: Record<string, unknown>[]
  experiments?: Record<string, unknown>[]
  prompts?: Record<string, unknown>[]
  frames?: Record<string, unknown>[]
}

/** Imports records in parts (frames and tasks before the samples that name them). */
export async function importRecords(request: APIRequestContext, records: ImportRecords): Promise<void> {
  for (const kind of ['frames', 'experiments', 'prompts', 'tasks', 'samples'] as const) {
    const all = records[kind] ?? []
    for (let from = 0; from < all.length; from += PART) {
      const res = await request.post('/api/library/import', { data: { [kind]: all.slice(from, from + PART) } })
      if (!res.ok()) throw new Error(`POST /import (${kind}): ${res.status()} ${await res.text()}`)
    }
  }
}
