import { useEffect } from 'react'

const typing = (el: Element | null) =>
  el instanceof HTMLInputElement ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el as HTMLElement | null)?.isContentEditable === true

/** Single-key shortcuts that must not fire while the designer is typing. */
export function useGlobalShortcuts(handlers: { onSearch(): void; onHelp(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || typing(document.activeElement) || document.querySelector('dialog[open]')) return
      if (e.key === '/') {
        e.preventDefault()
        handlers.onSearch()
      } else if (e.key === '?') {
        e.preventDefault()
        handlers.onHelp()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })
}
