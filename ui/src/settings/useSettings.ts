import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, postAsAdmin } from '../api/client';
import type { RuntimeSettings, SettingsView } from './runtimeSettings';
import { rememberAdminPassword } from './adminPassword';

export function useSettings() {
  return useQuery({
    queryKey: ['settings'],
    queryFn: ({ signal }) => getJson<SettingsView>('/api/settings', signal),
  });
}

export function useSaveRuntime() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: Record<string, unknown>) => postAsAdmin<RuntimeSettings>('/api/settings/runtime', changes),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['settings'] });
      client.invalidateQueries({ queryKey: ['stats'] });
    },
  });
}

/** What `POST /api/settings/secrets` answers: what it wrote, and how restarting the units that read them went. */
export interface SecretsWritten {
  written: string[];
  restartedUnits: string[];
  restartSucceeded: boolean;
  restartOutput: string;
  /** Each unit's own restart: `scheduled` is the api's own, 1 s after this answer. */
  restarts: { unit: string; state: 'restarted' | 'failed' | 'scheduled'; output: string }[];
}

export function useSaveSecret() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: Record<string, string>) => postAsAdmin<SecretsWritten>('/api/settings/secrets', change),
    onSuccess: () => client.invalidateQueries({ queryKey: ['settings'] }),
  });
}

/**
 * Checks a password with the api (`POST /api/auth/check`, counted by the failed-login slow-down like any admin call)
 * and keeps it only when it is right. Resolves to null when right, else the api's reason.
 */
export async function logIn(password: string): Promise<string | null> {
  const response = await fetch('/api/auth/check', {
    method: 'POST', headers: { Accept: 'application/json', Authorization: `Bearer ${password}` },
  });
  if (response.status === 204) {
    rememberAdminPassword(password);
    return null;
  }
  let reason = `${response.status} ${response.statusText}`;
  try {
    reason = (await response.json()).error ?? reason;
  } catch {
    // not JSON: keep the status line
  }
  return reason;
}
