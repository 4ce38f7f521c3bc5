/*
 * "Free space" (the storage-full banner) opens Settings at its Storage section: the banner asks here before it opens
 * the dialog, and the section, once mounted, takes the request (scrolls into view and takes the focus). A module
 * flag rather than a prop: the dialog is opened through OpenSettingsContext, which takes no arguments.
 */
let wanted = false

export function requestStorageSection(): void {
  wanted = true
}

/** Whether the section should show itself; asks once. */
export function takeStorageSectionRequest(): boolean {
  const was = wanted
  wanted = false
  return was
}
