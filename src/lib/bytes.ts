/**
 * SHA-256 of a blob, or of bytes already in memory, hex: frames are stored by their content, so the same frame is
 * kept once; exports name and check their files by it.
 */
export async function sha256Hex(data: Blob | Uint8Array): Promise<string> {
  // Told apart by what they can do, and read as a view: in unit tests a Blob may come from jsdom or from Node (a fetch's),
  // and Node's WebCrypto refuses a bare ArrayBuffer from jsdom's.
  const bytes = 'arrayBuffer' in data ? new Uint8Array(await data.arrayBuffer()) : (data as Uint8Array<ArrayBuffer>)
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Base64 without a data: prefix, as the request bodies carry it. */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  return btoa(binary)
}
