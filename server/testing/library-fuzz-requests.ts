// The shape of a request of the library API's fuzz, and what every group of cases uses to build one
// (library-fuzz-cases.ts: reads, frames, files and the engine; library-fuzz-writes.ts: the writes the browser sends).
import * as fc from 'fast-check'
import { contentType } from './library-fuzz-values.ts'

export interface FuzzRequest {
  method: string
  /** Path and query as they go on the wire (already percent-encoded, or deliberately not). */
  path: string
  headers: Record<string, string>
  /** Bytes with a Content-Length, or chunks sent chunked (no Content-Length). */
  body?: Uint8Array | { chunks: Uint8Array[] }
  /** The route aimed at, for the tally. */
  route: string
}

/** What the fuzz seeded before it starts, so some cases name real things. */
export interface Seeded {
  samples: string[]
  /** Soft-deleted, another workspace's: both must read as not found. */
  hiddenSamples: string[]
  tasks: string[]
  experiments: string[]
  frame: { hash: string; png: Uint8Array }
  /** SHA-256 of stored files (a video, a poster). */
  files: string[]
  queued: string[]
  dataDir: string
}

export const LIB = '/api/library'

/** True one time in `n`. */
export const oneIn = (n: number) => fc.integer({ min: 1, max: n }).map((x) => x === 1)

/** A request to `path` with a JSON-ish body, sent with a length or in chunks. */
export const withBody = (route: string, method: string, paths: fc.Arbitrary<string>, bodies: fc.Arbitrary<Uint8Array>) =>
  fc.record({ path: paths, body: bodies, type: contentType, chunked: oneIn(3) }).map(({ path, body, type, chunked }): FuzzRequest => ({
    method,
    path,
    route,
    headers: type === undefined ? {} : { 'content-type': type },
    body: chunked ? { chunks: [body.subarray(0, body.length >> 1), body.subarray(body.length >> 1)] } : body,
  }))
