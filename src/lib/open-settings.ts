import { createContext, useContext } from 'react'

/**
 * Opens Settings, from wherever an error's way out is there (a refused key): the studio's frame provides it, so a
 * message deep in a card or a panel can offer the button without knowing who owns the dialog.
 */
export const OpenSettingsContext = createContext<(() => void) | undefined>(undefined)

export const useOpenSettings = () => useContext(OpenSettingsContext)

/**
 * Whether the gateway holds the jiekou.ai key: then a refused key is not the designer's to fix in Settings, and the
 * message says who can fix it instead.
 */
export const ServerHoldsKeyContext = createContext(false)

export const useServerHoldsKey = () => useContext(ServerHoldsKeyContext)
