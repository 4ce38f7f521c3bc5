import type { Context } from 'hono'

/*
 * The one authorisation guard in front of the library's queries: it says which workspace a request may read and
 * change, and every query takes that id and scopes itself by it. A single designer has one workspace, 'local'; team
 * mode swaps this guard for one that reads the signed-in member and their workspace (or refuses the request).
 */

export const LOCAL_WORKSPACE = 'local'

/** The workspace a request acts in; throws a ContractError (401/403) when it may act in none. */
export type WorkspaceGuard = (c: Context) => string | Promise<string>

/** Single-designer mode: everything the gateway holds is the designer's own. */
export const singleDesignerWorkspace: WorkspaceGuard = () => LOCAL_WORKSPACE

/** The header that picks a test workspace, honoured only where `STUDIO_TEST_WORKSPACES=1` (see testWorkspaces). */
export const TEST_WORKSPACE_HEADER = 'x-studio-workspace'
const TEST_WORKSPACE_ID = /^test-[a-z0-9-]{1,60}$/

/**
 * For the studio's own end-to-end tests only: each browser context names a workspace of its own in a header, so
 * tests that run side by side on one gateway never see each other's samples (as each had its own IndexedDB before
 * the library moved to the gateway). Only names starting with "test-" are taken; anything else is the designer's
 * 'local'. main.ts turns it on only with STUDIO_TEST_WORKSPACES=1 on a loopback-bound gateway.
 */
export const testWorkspaces: WorkspaceGuard = (c) => {
  const asked = c.req.header(TEST_WORKSPACE_HEADER)
  return asked && TEST_WORKSPACE_ID.test(asked) ? asked : LOCAL_WORKSPACE
}
