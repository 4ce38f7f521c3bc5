import { createContext, useContext } from 'react'

/**
 * Opens Settings, from wherever an error's way out is there (a refused key): the studio's frame provides it, so a
 * message deep in a card or a panel can offer the button without knowing who owns the dialog.
 */
export const OpenSettingsContext = createContext<(() => void) | undefined>(undefined)

export const useOpenSettings = () => useContext(OpenSettingsContext)
