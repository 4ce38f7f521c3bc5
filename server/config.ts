import { isLoopbackHost } from './lan-guard.ts'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveDataDir } from './library/data-dir.ts'
import type { LibraryConfig } from './library/library.ts'

/** Everything the gateway reads from its environment, in one place (the README lists the same). */
export interface GatewayConfig {
  port: number
  host: string
  /** Upstream base, e.g. https://api.jiekou.ai */
  jiekouBaseUrl: string
  /** The server-held key; when set it wins over the browser's header. Never logged. */
  jiekouApiKey: string | undefined
  /** How long a forwarded call may take, answer included, before the gateway answers 504. 0 = no limit. */
  upstreamTimeoutMs: number
  /** On SIGTERM: how long renders in flight may take to finish before they are recorded as interrupted. */
  shutdownGraceMs: number
  /** STUDIO_ALLOW_LAN: a single-designer gateway may listen on more than loopback (main.ts refuses otherwise). */
  allowLan: boolean
  /**
   * STUDIO_TEST_WORKSPACES: the studio's e2e tests give each browser context a workspace of its own by a header
   * (library/api/workspace.ts). Honoured only on a loopback-bound gateway, never a designer's setting.
   */
  testWorkspaces: boolean
  /** Origins besides the gateway's own that may send state-changing requests (STUDIO_ALLOWED_ORIGINS). */
  allowedOrigins: string[]
  limits: LimitsConfig
  engine: EngineConfig
  library: LibraryConfig
}

/** Submits per minute (submit-limits.ts); 0 turns a limit off. Task-result polls are never counted. */
export interface LimitsConfig {
  /** Submits forwarded with the server's key, counted for everyone together (only when JIEKOU_API_KEY is set). */
  jiekouRpm: number
  /** Submits from one client address, on either provider. */
  clientRpm: number
}

export interface EngineConfig {
  /** Where rendered videos and task records live. */
  dataDir: string
  /** Renders at once; more tasks wait in the queue. */
  workers: number
  /** Pacing in ms: the least time a task stays queued, and the least time it spends processing. */
  paceMs: number
  /** Seconds a result URL stays valid (and its files are kept at least that long). */
  ttlSeconds: number
  /** Timeout and size cap when the engine fetches a frame by URL. */
  fetchTimeoutMs: number
  /** Whether a frame URL may lead to a loopback or private address (off: the engine is no way into the LAN). */
  allowPrivateUrls: boolean
}

const int = (v: string | undefined, fallback: number) => {
  const n = v === undefined || v === '' ? Number.NaN : Number(v)
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback
}

const num = (v: string | undefined, fallback: number) => {
  const n = v === undefined || v.trim() === '' ? Number.NaN : Number(v)
  return Number.isFinite(n) && n >= 0 ? n : fallback
}

const flag = (v: string | undefined) => /^(1|true|yes)$/i.test(v?.trim() ?? '')

export function readConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: int(env.PORT, 5317),
    host: env.HOST || '127.0.0.1',
    jiekouBaseUrl: (env.JIEKOU_BASE_URL || 'https://api.jiekou.ai').replace(/\/+$/, ''),
    jiekouApiKey: env.JIEKOU_API_KEY || undefined,
    upstreamTimeoutMs: int(env.JIEKOU_TIMEOUT_MS, 60_000),
    // Long enough for a usual local render to end; a render cut short is rendered again after the restart.
    shutdownGraceMs: int(env.SHUTDOWN_GRACE_MS, 20_000),
    allowLan: flag(env.STUDIO_ALLOW_LAN),
    testWorkspaces: flag(env.STUDIO_TEST_WORKSPACES) && isLoopbackHost(env.HOST || '127.0.0.1'),
    allowedOrigins: (env.STUDIO_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    limits: {
      // Google documents about 10 requests a minute per project; the provider about 50 for Veo 3.1.
      jiekouRpm: int(env.JIEKOU_RPM, 10),
      // Six times the studio's default queue (10 a minute), so a designer never meets it; a flood of scripts does.
      clientRpm: int(env.GATEWAY_CLIENT_RPM, 60),
    },
    engine: {
      dataDir: env.LOCAL_ENGINE_DATA_DIR || join(tmpdir(), 'veo-studio-engine'),
      workers: Math.max(1, int(env.LOCAL_ENGINE_WORKERS, 1)),
      paceMs: int(env.LOCAL_ENGINE_PACE_MS, 1500),
      ttlSeconds: Math.max(1, int(env.LOCAL_ENGINE_TTL_SECONDS, 3600)),
      fetchTimeoutMs: int(env.LOCAL_ENGINE_FETCH_TIMEOUT_MS, 15_000),
      allowPrivateUrls: flag(env.LOCAL_ENGINE_ALLOW_PRIVATE_URLS),
    },
    library: {
      dataDir: resolveDataDir(env),
      databaseUrl: env.DATABASE_URL?.trim() || undefined,
      databaseSchema: env.DATABASE_SCHEMA?.trim() || undefined,
      // Every 6 hours by default: PGlite's fsync is a no-op, so a power cut can cost what came after the last backup.
      backupIntervalMs: Math.round(num(env.STUDIO_BACKUP_HOURS, 6) * 3_600_000),
    },
  }
}
