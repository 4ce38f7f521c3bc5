// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { compareIds, comparePath } from './compare-address'

describe('the comparison’s address', () => {
  it('round-trips sample ids, whatever they hold', () => {
    const ids = ['local:9e04-75d6#0', 'jiekou:abc#1', 'odd,id with spaces#2']
    const path = comparePath(ids)
    expect(path).toBe('/compare?samples=local%3A9e04-75d6%230,jiekou%3Aabc%231,odd%2Cid%20with%20spaces%232')
    expect(compareIds(path.slice(path.indexOf('?')))).toEqual(ids)
  })

  it.each([
    ['', []],
    ['samples=', []],
    ['samples=a,,b,', ['a', 'b']],
    ['samples=a,b,a', ['a', 'b']],
    ['samples=a,b,c,d,e', ['a', 'b', 'c', 'd']],
    ['samples=%E0%A4%A,b', ['b']],
    ['other=1&samples=x%231,y%232', ['x#1', 'y#2']],
  ])('reads "%s" as %j', (search, ids) => expect(compareIds(search)).toEqual(ids))
})
