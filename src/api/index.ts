export * from './client'
export * from './errors'
export * from './queries'
export * from './schemas'
