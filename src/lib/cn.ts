import { clsx, type ClassValue } from 'clsx'

/**
 * Class names joined (clsx): conditions and lists in, one string out. Nothing is merged: what a component sets and
 * what a caller adds must never set the same thing, or the stylesheet's order would pick the winner. Components
 * take props for what callers change (a button's `tone` and `size`, a textarea's `density`). The unit tests check
 * every call for such a clash (src/test-setup.ts). Merging at run time (tailwind-merge) cost 8.6 KB gzip.
 */
export const cn = (...inputs: ClassValue[]): string => clsx(inputs)
