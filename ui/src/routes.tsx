import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { Frame } from './frame/Frame';
import { NotFound } from './frame/NotFound';
import SessionsPage from './sessions/SessionsPage';

// The sessions list, the landing page, comes with the frame (no second round trip before its request starts); every
// other page is its own chunk, loaded when it is opened.
const SessionPage = lazy(() => import('./player/SessionPage'));
const IssuesPage = lazy(() => import('./issues/IssuesPage'));
const IssuePage = lazy(() => import('./issues/IssuePage'));
const AgentsPage = lazy(() => import('./agents/AgentsPage'));
const AgentPage = lazy(() => import('./agents/AgentPage'));
const FalseAlarmsPage = lazy(() => import('./falsealarms/FalseAlarmsPage'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));

function page(element: ReactNode) {
  return <Suspense fallback={<p className="loading" role="status">Loading…</p>}>{element}</Suspense>;
}

export const routes = [
  {
    path: '/',
    element: <Frame />,
    children: [
      { index: true, element: page(<SessionsPage />) },
      { path: 'sessions/:id', element: page(<SessionPage />) },
      { path: 'issues', element: page(<IssuesPage />) },
      { path: 'issues/:id', element: page(<IssuePage />) },
      { path: 'agents', element: page(<AgentsPage />) },
      { path: 'agents/:id', element: page(<AgentPage />) },
      { path: 'false-alarms', element: page(<FalseAlarmsPage />) },
      { path: 'settings', element: page(<SettingsPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
