import type { ReactNode } from 'react'
import { Redirect, Route, Switch } from 'wouter'

/*
 * The views the studio holds in the URL, so a reload, Back and a shared link land on the same view. wouter (about
 * 2 KB) reads the browser's location; the gateway answers every non-file path with the app shell.
 */
export const paths = {
  gallery: '/',
} as const

interface RoutesProps {
  gallery: ReactNode
}

/** The main area's view. An address the studio does not know (an old or mistyped link) lands on the gallery. */
export function Routes({ gallery }: RoutesProps) {
  return (
    <Switch>
      <Route path={paths.gallery}>{gallery}</Route>
      <Route>
        <Redirect to={paths.gallery} replace />
      </Route>
    </Switch>
  )
}
