import { describeError, type ErrorWords } from '../../api/errors'

/** A send the queue made and the provider (or the studio) refused: carries the words the runner wrote down. */
export class QueueSendError extends Error {
  constructor(readonly words: ErrorWords) {
    super(words.message)
    this.name = 'QueueSendError'
  }
}

/** The words for any error a send gave, the queue's own included. */
export const sendErrorWords = (e: unknown): ErrorWords => (e instanceof QueueSendError ? e.words : describeError(e))
