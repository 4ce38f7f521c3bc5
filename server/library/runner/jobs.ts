import type PgBoss from 'pg-boss'
import type { Transaction } from 'kysely'
import type { LibraryTables } from '../db/schema.ts'
import { inTransaction } from './boss.ts'

/*
 * The runner's three kinds of job. A job carries only ids: the database is the truth, and a handler reads it afresh,
 * so a job run twice (a gateway killed mid-job, its job expired and taken again) does no harm. 'stately' queues keep
 * one waiting and one running job per key at most.
 */
export const QUEUES = { submit: 'library-submit', poll: 'library-poll', archive: 'library-archive' } as const

/** One turn of a provider's submit queue: the next waiting request of that provider is sent. */
export interface SubmitJob {
  provider: string
}
export interface TaskJob {
  taskRecordId: string
}

export async function createQueues(boss: PgBoss): Promise<void> {
  await boss.createQueue(QUEUES.submit, { name: QUEUES.submit, policy: 'standard', retryLimit: 0, expireInSeconds: 120 })
  await boss.createQueue(QUEUES.poll, { name: QUEUES.poll, policy: 'stately', retryLimit: 3, retryDelay: 5, expireInSeconds: 120 })
  await boss.createQueue(QUEUES.archive, {
    name: QUEUES.archive,
    policy: 'stately',
    retryLimit: 8,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 600,
  })
}

type Db = Transaction<LibraryTables> | undefined

const options = (trx: Db, extra: PgBoss.SendOptions) => (trx ? { ...extra, db: inTransaction(trx) } : extra)

export const sendTurn = (boss: PgBoss, provider: string, at: Date | undefined, priority: number, trx?: Db) =>
  boss.send(QUEUES.submit, { provider } satisfies SubmitJob, options(trx, { priority, ...(at ? { startAfter: at } : {}) }))

export const sendPoll = (boss: PgBoss, taskRecordId: string, at: Date | undefined, trx?: Db) =>
  boss.send(
    QUEUES.poll,
    { taskRecordId } satisfies TaskJob,
    options(trx, { singletonKey: taskRecordId, ...(at ? { startAfter: at } : {}) }),
  )

export const sendArchive = (boss: PgBoss, taskRecordId: string, at: Date | undefined, trx?: Db) =>
  boss.send(
    QUEUES.archive,
    { taskRecordId } satisfies TaskJob,
    options(trx, { singletonKey: taskRecordId, ...(at ? { startAfter: at } : {}) }),
  )
