/**
 * The desktop-only calls (mode, start at login, where secrets are kept) for the first-start screen
 * and the settings page. Inside the desktop app they go to its commands; in a browser there are
 * none, and the pages that need them step aside. Tests provide their own.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { desktopCommands, isDesktop, type DesktopCommands, type DesktopStatus } from '../../api/desktopTransport';

const DesktopContext = createContext<DesktopCommands | null>(null);

let appCommands: DesktopCommands | null = null;

export function DesktopProvider({ commands, children }: { commands: DesktopCommands; children: ReactNode }) {
  return <DesktopContext.Provider value={commands}>{children}</DesktopContext.Provider>;
}

/** The desktop's commands, or `null` in a browser. */
export function useDesktop(): DesktopCommands | null {
  const provided = useContext(DesktopContext);
  if (provided) return provided;
  if (!isDesktop()) return null;
  appCommands ??= desktopCommands();
  return appCommands;
}

export const DESKTOP_STATUS_KEY = ['desktop-status'] as const;

/** How this computer runs now (mode, hub, start at login, secrets); idle in a browser. */
export function useDesktopStatus(desktop: DesktopCommands | null) {
  return useQuery<DesktopStatus>({
    queryKey: DESKTOP_STATUS_KEY,
    queryFn: () => (desktop ? desktop.status() : Promise.reject(new Error('not the desktop app'))),
    enabled: desktop !== null,
    staleTime: Infinity,
  });
}
