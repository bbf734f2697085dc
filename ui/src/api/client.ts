import { adminPassword, forgetAdminPassword } from '../settings/adminPassword';

/** A refusal from the api: its status and the `{error, field}` body every error answer carries. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  if (response.status === 204) {
    return undefined as T;
  }
  if (response.ok) {
    return (await response.json()) as T;
  }
  let message = `${response.status} ${response.statusText}`;
  let field: string | null = null;
  try {
    const body = await response.json();
    message = body.error ?? message;
    field = body.field ?? null;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401) {
    forgetAdminPassword();
  }
  throw new ApiError(response.status, message, field);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(path, { signal, headers: { Accept: 'application/json' } }));
}

/**
 * A mutating call: every one needs the admin password, kept in sessionStorage only. Without one it fails as the api
 * would (401), so `useAdminAction` asks for it the same way in both cases.
 */
export async function sendAsAdmin<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const password = adminPassword();
  if (!password) {
    throw new ApiError(401, 'This action needs the admin password');
  }
  const response = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      Authorization: `Bearer ${password}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer<T>(response);
}

export function postAsAdmin<T>(path: string, body?: unknown): Promise<T> {
  return sendAsAdmin<T>('POST', path, body);
}
