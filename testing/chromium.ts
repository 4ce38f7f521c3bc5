import { existsSync } from 'node:fs'

/*
 * How every Chromium of the project starts (the e2e tests, the bench and the README screenshot): Debian's
 * Chromium when present, since Playwright cannot download browsers on these machines, else Playwright's own.
 */
const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const chromiumLaunchOptions = {
  ...(existsSync(executable) ? { executablePath: executable } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    // Sample cards play muted on hover; the comparison plays several videos at once.
    '--autoplay-policy=no-user-gesture-required',
  ],
}
