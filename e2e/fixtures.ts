import { test as base, type TestInfo } from '@playwright/test'
import { randomUUID } from 'node:crypto'

/*
 * Every test keeps a library of its own on the one e2e gateway, as each had its own IndexedDB when the library lived
 * in the browser: its browser context (pages, the change feed, media) and its `request` fixture name a workspace of
 * their own in a header, which the gateway honours because the e2e run starts it with STUDIO_TEST_WORKSPACES=1
 * (server/library/api/workspace.ts). A retry gets a fresh one, and so does the next run: the gateway's data folder
 * outlives a run (a reused server, the same folder per port), and a test id alone named last run's library again.
 */

/** This worker's run: a failed test's retry runs in a new worker, so it gets a new one too. */
const RUN = randomUUID().slice(0, 8)

export const WORKSPACE_HEADER = 'x-studio-workspace'

/** The headers that put a context in this test's workspace: give them to a context a test opens itself. */
export function workspaceHeaders(testInfo: TestInfo): Record<string, string> {
  const id = `${RUN}-${testInfo.testId}-${testInfo.retry}-${testInfo.repeatEachIndex}`.toLowerCase().replace(/[^a-z0-9-]/g, '-')
  return { [WORKSPACE_HEADER]: `test-${id}`.slice(0, 65) }
}

export const test = base.extend({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, provide, testInfo) => {
    await provide({ ...extraHTTPHeaders, ...workspaceHeaders(testInfo) })
  },
})

export { expect } from '@playwright/test'
