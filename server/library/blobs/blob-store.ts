import type { Readable } from 'node:stream'

/*
 * Files (videos, posters, frames, thumbnails) are kept once each, named by the SHA-256 of their bytes. The library
 * knows a file only by that name; where the bytes live is this interface's business: a folder in the data folder
 * here, an S3 bucket in team mode.
 */

export const SHA256_HEX = /^[0-9a-f]{64}$/

export interface PutOptions {
  /** The hash the caller says the bytes have: a mismatch stores nothing and throws BlobHashMismatch. */
  expectedSha256?: string | undefined
  /** More bytes than this stores nothing and throws BlobTooLarge. */
  maxBytes?: number | undefined
}

export interface PutResult {
  sha256: string
  size: number
  /** False when the store already held these bytes. */
  created: boolean
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number
  /** Last byte, inclusive. */
  end: number
}

export interface BlobStore {
  /** Streams the bytes in, hashing as they come; nothing is visible under the name until all arrived and matched. */
  put(source: AsyncIterable<Uint8Array> | Uint8Array, options?: PutOptions): Promise<PutResult>
  /** The size, or undefined when not stored. */
  size(sha256: string): Promise<number | undefined>
  /** The bytes, or a range of them. Throws BlobNotFound when not stored. */
  read(sha256: string, range?: ByteRange): Promise<Readable>
  delete(sha256: string): Promise<void>
  /** Files and bytes held, for Settings › Storage. */
  usage(): Promise<{ files: number; bytes: number }>
}

export class BlobNotFound extends Error {
  constructor(readonly sha256: string) {
    super(`No stored file ${sha256.slice(0, 12)}…`)
  }
}

export class BlobHashMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`The bytes' SHA-256 is ${actual}, not ${expected}.`)
  }
}

export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`More than ${maxBytes} bytes.`)
  }
}

/** The disk is full: nothing was stored, and the caller may try again once there is space. */
export class BlobStoreFull extends Error {}

/** Only a lower-case hex SHA-256 names a file: anything else (a path, `..`, a slash) never reaches the store. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new TypeError('not a SHA-256 in lower-case hex')
}
