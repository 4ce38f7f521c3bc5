// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { videoFetchUrl } from './gateway-urls'

describe('videoFetchUrl', () => {
  it.each([
    ['the local engine serves its own files', 'local', '/files/a.mp4', '/files/a.mp4'],
    [
      "a provider's video goes through the relay, its URL escaped",
      'jiekou',
      'https://cdn.example/v.mp4?sig=a&b=1',
      '/api/jiekou/video?url=https%3A%2F%2Fcdn.example%2Fv.mp4%3Fsig%3Da%26b%3D1',
    ],
  ] as const)('%s', (_, provider, videoUrl, expected) => {
    expect(videoFetchUrl(provider, videoUrl)).toBe(expected)
  })
})
