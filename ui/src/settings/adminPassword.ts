import { useSyncExternalStore } from 'react';

// The admin password lives in sessionStorage only: gone when the tab closes, never in localStorage or a URL.
const KEY = 'truffles.adminPassword';

// sessionStorage fires no event in the tab that changed it, so the components showing "log out" are told here.
const listeners = new Set<() => void>();

function changed(): void {
  listeners.forEach((listener) => listener());
}

export function adminPassword(): string | null {
  return sessionStorage.getItem(KEY);
}

export function rememberAdminPassword(password: string): void {
  sessionStorage.setItem(KEY, password);
  changed();
}

/** On "log out" and whenever the api answers 401: a refused password is never sent again. */
export function forgetAdminPassword(): void {
  sessionStorage.removeItem(KEY);
  changed();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether a password is held now (re-renders when one is remembered or forgotten). */
export function useAdminPasswordHeld(): boolean {
  return useSyncExternalStore(subscribe, () => adminPassword() !== null);
}
