import { clsx, type ClassValue } from 'clsx'
import { extendTailwindMerge } from 'tailwind-merge'

// Our font-size tokens (tailwind.config.ts): without this, tailwind-merge takes `text-ui` for a colour and drops
// the real text colour beside it.
const twMerge = extendTailwindMerge({ extend: { classGroups: { 'font-size': [{ text: ['ui-xs', 'ui-sm', 'ui', 'ui-lg'] }] } } })

export const cn = (...inputs: ClassValue[]) => twMerge(clsx(inputs))
