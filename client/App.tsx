import { Route, Switch } from 'wouter'
import { AtlasPage } from './pages/AtlasPage'
import { NotFoundPage } from './pages/ErrorPage'
import { HomePage } from './pages/HomePage'
import { UpdateNotice } from './pwa/UpdateNotice'

/** The screens of the app: start, one atlas (its maps, its plan, its meeting, its basisteam, its history), and a page for anything else. */
export function App() {
  return (
    <>
      <Routes />
      <UpdateNotice />
    </>
  )
}

/** One screen for each path. */
function Routes() {
  return (
    <Switch>
      <Route path="/" component={HomePage} />
      <Route path="/atlas/:id/plan">
        {(params) => <AtlasPage key={params.id} id={params.id} screen="plan" />}
      </Route>
      <Route path="/atlas/:id/bijeenkomst">
        {(params) => <AtlasPage key={params.id} id={params.id} screen="meeting" />}
      </Route>
      <Route path="/atlas/:id/basisteam">
        {(params) => <AtlasPage key={params.id} id={params.id} screen="basisteam" />}
      </Route>
      <Route path="/atlas/:id/geschiedenis">
        {(params) => <AtlasPage key={params.id} id={params.id} screen="history" />}
      </Route>
      <Route path="/atlas/:id">{(params) => <AtlasPage key={params.id} id={params.id} />}</Route>
      <Route component={NotFoundPage} />
    </Switch>
  )
}
