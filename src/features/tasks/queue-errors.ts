import type { ErrorWords } from '../../api/errors'
import { RequestFailed } from '../../db/queue'
import { libraryWords } from '../../db/submit'

/** The words for any error a send gave: the gateway's for a request it could not send, or why it never got there. */
export const sendErrorWords = (e: unknown): ErrorWords => (e instanceof RequestFailed ? e.words : libraryWords(e))
