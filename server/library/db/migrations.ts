import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely'

/*
 * The library's schema, one migration at a time, the same on PGlite and on PostgreSQL. Migrations are code in this
 * file (not files found at run time), so the bundle and the tests see exactly the same list. Never edit one that has
 * shipped: add the next. Kysely runs them under an advisory lock, so gateways starting together migrate once.
 */

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('blobs')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('size', 'int8', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute()

    await db.schema
      .createTable('frames')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('thumb_sha256', 'text')
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('frames_pk', ['workspace_id', 'hash'])
      .execute()

    await db.schema
      .createTable('tasks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('request', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('finished_at', 'timestamptz')
      .addColumn('seed', 'text')
      .addColumn('video_count', 'integer')
      .addColumn('retried_as', 'text')
      .addColumn('dismissed', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('sent_at', 'timestamptz')
      .addColumn('experiment_id', 'text')
      .addColumn('cell', 'jsonb')
      .addColumn('stalled', 'jsonb')
      .addColumn('lost', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('eta_seconds', 'real')
      .addColumn('progress_percent', 'real')
      .addColumn('polls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_poll_at', 'timestamptz')
      .addColumn('result', 'jsonb')
      // The last few polls (time, status, progress, ETA), for the polling rule's prediction of the end.
      .addColumn('poll_samples', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('poll_failures', 'integer', (c) => c.notNull().defaultTo(0))
      // Set once every video is in the blob store (or none came): the archive is done.
      .addColumn('archived_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute()
    await db.schema.createIndex('tasks_list').on('tasks').columns(['workspace_id', 'created_at desc', 'id desc']).execute()
    await db.schema
      .createIndex('tasks_experiment')
      .on('tasks')
      .columns(['experiment_id'])
      .where(sql.ref('experiment_id'), 'is not', null)
      .execute()
    // The runner's work list: tasks not yet final, by when they are due.
    await db.schema.createIndex('tasks_due').on('tasks').columns(['next_poll_at']).where(sql.ref('finished_at'), 'is', null).execute()

    await db.schema
      .createTable('samples')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('task_record_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('request', 'jsonb', (c) => c.notNull())
      .addColumn('seed', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('video_url', 'text', (c) => c.notNull())
      .addColumn('url_expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('video_sha256', 'text', (c) => c.references('blobs.sha256'))
      .addColumn('poster_sha256', 'text', (c) => c.references('blobs.sha256'))
      .addColumn('store_error', 'text')
      .addColumn('favourite', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('deleted_at', 'timestamptz')
      .execute()
    // The gallery's keyset page: newest first, the id breaking ties; deleted samples are out of every read.
    await db.schema
      .createIndex('samples_list')
      .on('samples')
      .columns(['workspace_id', 'created_at desc', 'id desc'])
      .where(sql.ref('deleted_at'), 'is', null)
      .execute()
    await db.schema.createIndex('samples_task').on('samples').columns(['task_record_id']).execute()
    // A file is served to a workspace only through its own samples (api/files-routes.ts): found by hash.
    await db.schema.createIndex('samples_video').on('samples').columns(['video_sha256']).execute()
    await db.schema.createIndex('samples_poster').on('samples').columns(['poster_sha256']).execute()

    await db.schema
      .createTable('experiments')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('base', 'jsonb', (c) => c.notNull())
      .addColumn('rows', 'jsonb', (c) => c.notNull())
      .addColumn('columns', 'jsonb', (c) => c.notNull())
      .addColumn('marks', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('deleted_at', 'timestamptz')
      .execute()
    await db.schema.createIndex('experiments_list').on('experiments').columns(['workspace_id', 'created_at desc', 'id desc']).execute()

    await db.schema
      .createTable('submit_queue')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('request', 'jsonb', (c) => c.notNull())
      // The provider's path and the exact body the studio prepared (frames cropped as the designer chose), its frames
      // as {"$blob": sha256} until the moment of sending.
      .addColumn('model_path', 'text', (c) => c.notNull())
      .addColumn('body', 'jsonb', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('retry_of', 'text')
      .addColumn('experiment_id', 'text')
      .addColumn('cell', 'jsonb')
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'sending', 'sent', 'failed', 'cancelled')`))
      .addColumn('sent_at', 'timestamptz')
      .addColumn('not_before', 'timestamptz')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'jsonb')
      .addColumn('trouble', 'jsonb')
      .addColumn('task_record_id', 'text')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute()
    // What the runner sends next: a single Generate before a sweep's waiting requests, then the oldest.
    await db.schema
      .createIndex('submit_queue_next')
      .on('submit_queue')
      .columns(['priority', 'created_at', 'id'])
      .where(sql.ref('state'), 'in', sql`('queued', 'sending')`)
      .execute()
    await db.schema.createIndex('submit_queue_experiment').on('submit_queue').columns(['experiment_id']).execute()

    await db.schema
      .createTable('prompts')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'timestamptz', (c) => c.notNull())
      .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('prompts_pk', ['workspace_id', 'text'])
      .execute()
    await db.schema.createIndex('prompts_recent').on('prompts').columns(['workspace_id', 'last_used_at desc']).execute()

    await db.schema
      .createTable('settings')
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('settings_pk', ['workspace_id', 'key'])
      .execute()

    // The rate window of each provider key: a lock row, and the grants of the last minute (rate-window.ts).
    await db.schema
      .createTable('rate_windows')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .execute()
    await db.schema
      .createTable('rate_grants')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('rate_grants_key_at').on('rate_grants').columns(['key', 'at']).execute()

    await db.schema
      .createTable('events')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo('local'))
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute()
  },
}

export const MIGRATIONS: Record<string, Migration> = {
  '0001_library': initial,
}

export const migrationProvider: MigrationProvider = { getMigrations: async () => MIGRATIONS }
