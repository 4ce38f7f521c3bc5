import { startStubUpstream } from './stub-upstream.ts'

/* The stub upstream as a process, for Playwright's webServer: `STUB_PORT=5401 tsx testing/stub-upstream-main.ts`. */
const stub = await startStubUpstream({ port: Number(process.env.STUB_PORT ?? 0) })
console.log(`stub upstream at ${stub.url}`)
const stop = () => void stub.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
