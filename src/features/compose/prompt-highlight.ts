/** A run of a prompt, marked when it is one of the searched words. */
export interface TextPart {
  text: string
  match: boolean
}

/** Case and accents aside: a word typed plainly marks its accented spelling too. */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * The prompt cut into runs, with every place a word of the query occurs marked. Folding is done one character
 * at a time, so each folded position points back at the character it came from ("Café" is found by "cafe"
 * and the whole "Café" is marked).
 */
export function highlightParts(text: string, query: string): TextPart[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (!text) return []
  if (!words.length) return [{ text, match: false }]

  let folded = ''
  const from: number[] = []
  const to: number[] = []
  for (let i = 0; i < text.length;) {
    const char = String.fromCodePoint(text.codePointAt(i)!)
    const f = fold(char)
    for (let k = 0; k < f.length; k++) {
      from.push(i)
      to.push(i + char.length)
    }
    folded += f
    i += char.length
  }

  const marked = Array.from({ length: text.length }, () => false)
  for (const word of words) {
    for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + 1)) {
      for (let i = from[at]!; i < to[at + word.length - 1]!; i++) marked[i] = true
    }
  }

  const parts: TextPart[] = []
  for (let i = 0; i < text.length; i++) {
    const last = parts.at(-1)
    if (last && last.match === marked[i]) last.text += text[i]
    else parts.push({ text: text[i]!, match: marked[i]! })
  }
  return parts
}
