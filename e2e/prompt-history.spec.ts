import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { trySampleFrames } from './helpers'

const prompt = (page: Page) => page.getByRole('combobox', { name: 'Prompt' })
const history = (page: Page) => page.getByRole('listbox', { name: 'Prompt history' })

async function generateWith(page: Page, text: string) {
  await prompt(page).fill(text)
  await prompt(page).press('Escape')
  await page.getByRole('button', { name: /^Generate/ }).click()
  await expect(page.getByRole('article', { name: new RegExp(`^Task: ${text.slice(0, 12)}`) })).toHaveCount(1)
}

test('a sent prompt comes back from the Prompt field, and two prompts show as a word diff', async ({ page }) => {
  await trySampleFrames(page)
  await generateWith(page, 'red kite over the hills, slow push in')
  await generateWith(page, 'blue kite over the sea, slow push in')

  // A word found in both: the newer first, the typed word marked.
  await prompt(page).fill('')
  await prompt(page).pressSequentially('kite')
  await expect(prompt(page)).toHaveAttribute('aria-expanded', 'true')
  const options = history(page).getByRole('option')
  await expect(options).toHaveCount(2)
  await expect(options.nth(0)).toContainText('blue kite over the sea')
  await expect(options.nth(1)).toContainText('red kite over the hills')
  await expect(options.nth(0).locator('mark')).toHaveText('kite')

  // The keyboard picks the older one.
  await prompt(page).press('ArrowDown')
  await prompt(page).press('ArrowDown')
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true')
  await prompt(page).press('Enter')
  await expect(prompt(page)).toHaveValue('red kite over the hills, slow push in')
  await expect(history(page)).toBeHidden()

  // Compare it with the newer one: the current prompt loses "red" and "hills", the history one brings "blue" and "sea".
  await page.getByRole('button', { name: 'History' }).click()
  await expect(options).toHaveCount(1)
  await expect(options.nth(0)).toContainText('blue kite over the sea')
  await page.getByRole('button', { name: 'Compare with current prompt' }).click()
  const diff = page.getByRole('dialog', { name: 'Prompt diff' })
  await expect(diff).toBeVisible()
  const current = diff.getByRole('region', { name: 'Current' })
  const fromHistory = diff.getByRole('region', { name: 'From history' })
  await expect(current.getByRole('deletion')).toHaveText(['removed: red', 'removed: hills'])
  await expect(fromHistory.getByRole('insertion')).toHaveText(['added: blue', 'added: sea'])
  await expect(current.getByRole('insertion')).toHaveCount(0)
  // The "removed:" and "added:" words are for screen readers only; the eye sees the colour and the line.
  await expect(current.getByText('removed:').first()).not.toBeInViewport()
  await expect(current.getByRole('deletion').first()).toHaveCSS('text-decoration-line', 'line-through')

  await diff.getByRole('button', { name: 'Use history prompt' }).click()
  await expect(diff).toBeHidden()
  await expect(prompt(page)).toHaveValue('blue kite over the sea, slow push in')
  await expect(prompt(page)).toBeFocused()
})

test('the diff is a chunk of its own, loaded only when asked', async ({ page }) => {
  const scripts: string[] = []
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname)
  })
  await trySampleFrames(page)
  await generateWith(page, 'orbit left around the statue')
  await prompt(page).fill('orbit right around the statue')
  await prompt(page).press('Escape')
  expect(scripts.filter((s) => s.includes('prompt-diff'))).toEqual([])
  await prompt(page).press('Alt+ArrowDown')
  await history(page).getByRole('option').first().waitFor()
  await page.getByRole('button', { name: 'Compare with current prompt' }).click()
  await expect(page.getByRole('dialog', { name: 'Prompt diff' }).getByRole('deletion')).toHaveText('removed: right')
  expect(scripts.filter((s) => s.includes('prompt-diff'))).toHaveLength(1)
})
