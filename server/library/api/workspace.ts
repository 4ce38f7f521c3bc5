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
