/*
 * Which modules weigh what in a built chunk: its code attributed, through the chunk's source map, to the package (or
 * our own source file) it came from, and each part gzipped alone. Parts compress a little worse alone than inside
 * the whole chunk, so the parts add up to a little more than the chunk: read them as shares, not as a sum.
 */
import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js'

export interface ModuleWeight {
  /** An npm package (`react-dom`, `@tanstack/query-core`) or a source file of ours (`src/app/main.tsx`). */
  name: string
  /** Bytes of minified code. */
  raw: number
  /** Bytes once gzipped alone. */
  gzip: number
}

/** The package or file a source-map source path belongs to. */
export function moduleOf(source: string): string {
  const inModules = source.lastIndexOf('node_modules/')
  if (inModules >= 0) {
    const parts = source.slice(inModules + 'node_modules/'.length).split('/')
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
  }
  const inSrc = source.lastIndexOf('/src/')
  return inSrc >= 0 ? source.slice(inSrc + 1) : source.replace(/^(\.\.\/)+/, '')
}

/** The weights of a chunk's modules, heaviest (gzip) first. */
export async function moduleWeights(chunkFile: string): Promise<ModuleWeight[]> {
  const code = await readFile(chunkFile, 'utf8')
  const map = new SourceMapConsumer(JSON.parse(await readFile(`${chunkFile}.map`, 'utf8')) as RawSourceMap)
  const lines = code.split('\n')
  const parts = new Map<string, string[]>()
  let last: { line: number; column: number; source: string | null } | undefined
  const take = (end: { line: number; column: number } | undefined) => {
    if (!last) return
    const line = lines[last.line - 1] ?? ''
    const to = end && end.line === last.line ? end.column : line.length
    const name = last.source ? moduleOf(last.source) : '(bundler glue)'
    const list = parts.get(name) ?? []
    list.push(line.slice(last.column, to))
    parts.set(name, list)
  }
  map.eachMapping((m) => {
    const at = { line: m.generatedLine, column: m.generatedColumn }
    take(at)
    last = { ...at, source: m.source }
  })
  take(undefined)
  return [...parts]
    .map(([name, pieces]) => {
      const text = pieces.join('')
      return { name, raw: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length }
    })
    .sort((a, b) => b.gzip - a.gzip)
}
