import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { render } from '@testing-library/react';

/** Answers the api's routes from a table, as the api would (JSON bodies, 404 for the rest). */
export function fakeApi(routes: Record<string, unknown>) {
  const calls: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input.toString();
    calls.push(url);
    const path = url.split('?')[0];
    const body = path in routes ? routes[path] : undefined;
    if (body === undefined) {
      return new Response(JSON.stringify({ error: `No api route for ${path}`, field: null }), { status: 404 });
    }
    return new Response(JSON.stringify(typeof body === 'function' ? body(url) : body), {
      status: 200, headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

export function renderAt(path: string, routes: { path: string; element: ReactNode }[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}
