/**
 * JSON kept in this browser's localStorage, for what the portal shows without the hub (A6). A
 * full, disabled or corrupt storage only costs the offline view, so nothing here throws.
 */
export function readKept<T>(key: string): T | undefined {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function keep(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // See the module: only the offline view is lost.
  }
}

export function forget(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
}
