// The admin password lives in sessionStorage only: gone when the tab closes, never in localStorage or a URL.
const KEY = 'truffles.adminPassword';

export function adminPassword(): string | null {
  return sessionStorage.getItem(KEY);
}

export function rememberAdminPassword(password: string): void {
  sessionStorage.setItem(KEY, password);
}

export function forgetAdminPassword(): void {
  sessionStorage.removeItem(KEY);
}
