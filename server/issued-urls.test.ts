import { describe, expect, it } from 'vitest'
import { IssuedUrls } from './issued-urls.ts'

describe('IssuedUrls', () => {
  it('reads the TTL as a number or a string, defaulting to 3600 s', () => {
    const ttlOf = (video_url_ttl: unknown) => {
      let now = 0
      const urls = new IssuedUrls(10, () => now)
      urls.recordFrom({ videos: [{ video_url: 'https://cdn/v.mp4', video_url_ttl, video_type: 'mp4' }] })
      // The last whole second at which the URL is still valid.
      let seconds = 0
      for (; seconds < 4000; seconds++) {
        now = (seconds + 1) * 1000
        if (urls.check('https://cdn/v.mp4') !== 'valid') break
      }
      return seconds + 1
    }
    expect(ttlOf(120)).toBe(120)
    expect(ttlOf('120')).toBe(120)
    expect(ttlOf(' 90 ')).toBe(90)
    expect(ttlOf(undefined)).toBe(3600)
    expect(ttlOf('soon')).toBe(3600)
    expect(ttlOf(-5)).toBe(3600)
  })

  it('expires entries after their TTL and keeps at most its limit, dropping expired ones first, then the oldest', () => {
    let now = 0
    const urls = new IssuedUrls(3, () => now)
    urls.add('https://cdn/a', 10)
    urls.add('https://cdn/b', 100)
    urls.add('https://cdn/c', 100)
    now = 20_000
    expect(urls.check('https://cdn/b')).toBe('valid')
    // Full: the expired a goes, not the oldest valid one.
    urls.add('https://cdn/d', 100)
    expect(urls.size).toBe(3)
    expect(urls.check('https://cdn/a')).toBe('unknown')
    // Full of valid ones: the oldest (b) goes.
    urls.add('https://cdn/e', 100)
    expect(urls.size).toBe(3)
    expect(['b', 'c', 'd', 'e'].map((k) => urls.check(`https://cdn/${k}`))).toEqual(['unknown', 'valid', 'valid', 'valid'])
    now = 200_000
    expect(urls.check('https://cdn/c')).toBe('expired')
    expect(urls.check('https://cdn/c')).toBe('unknown')
  })

  it('stays bounded under many task results', () => {
    const urls = new IssuedUrls()
    for (let i = 0; i < 12_000; i++) urls.recordFrom({ videos: [{ video_url: `https://cdn.example/${i}.mp4`, video_url_ttl: '3600' }] })
    expect(urls.size).toBe(5000)
    expect(urls.check('https://cdn.example/11999.mp4')).toBe('valid')
    expect(urls.check('https://cdn.example/0.mp4')).toBe('unknown')
  })
})
