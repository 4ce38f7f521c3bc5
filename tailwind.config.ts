import type { Config } from 'tailwindcss'

/*
 * Design tokens (shared/DESIGN.md). The accent is one line: change `accent` and every focus ring,
 * progress bar and primary action follows.
 */
const accent = {
  DEFAULT: '#7c9cff',
  strong: '#5b7cfa',
  soft: 'rgb(124 156 255 / 0.14)',
}

export default {
  content: ['./index.html', './src/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        accent,
        ground: '#09090b', // zinc-950: the page
        panel: '#18181b', // zinc-900: panels
        line: '#27272a', // zinc-800: borders
      },
      fontFamily: {
        sans: ['Inter', 'system-ui', '-apple-system', 'Segoe UI', 'sans-serif'],
      },
      // Font size only for the two small steps: they inherit the line height of what they sit in.
      fontSize: {
        'ui-xs': '11px', // chips, hints, counters
        'ui-sm': '12px', // help text, status lines
        ui: ['13px', '18px'],
        'ui-lg': ['14px', '20px'],
      },
      borderRadius: {
        control: '8px',
        card: '12px',
      },
      transitionDuration: {
        DEFAULT: '150ms',
      },
      transitionTimingFunction: {
        DEFAULT: 'cubic-bezier(0, 0, 0.2, 1)',
      },
    },
  },
} satisfies Config
