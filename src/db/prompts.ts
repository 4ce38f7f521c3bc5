import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { libraryQueries } from '../api/library-queries'
import type { PromptRecord } from './db'

/*
 * The prompt history behind the Prompt field. The gateway's runner records each prompt it sends; the studio only
 * reads them, filtered by the words typed.
 */

/**
 * The history, most recently used first, filtered by the query's words (each one appears, case aside); at most
 * `limit`. Undefined until the first read. While the next query's answer is on its way, the last one stays, so the
 * list does not blink at every key.
 */
export function usePromptHistory(query: string, limit = 8): PromptRecord[] | undefined {
  // Words are what count: "orbit  left " asks what "orbit left" asks, from the same cache.
  const words = query.trim().replace(/\s+/g, ' ')
  return useQuery({ ...libraryQueries.prompts(words, limit), placeholderData: keepPreviousData }).data
}
