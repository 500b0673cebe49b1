import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createApi } from './api/api';
import { ApiProvider } from './api/context';
import { ApiError } from './api/errors';
import { desktopTransport, isDesktop } from './api/desktopTransport';
import { fetchTransport } from './api/fetchTransport';
import { App } from './app/App';
import { registerOfflineShell } from './app/installable';
import { applyTheme, storedTheme } from './app/theme';
import { ToastProvider } from './components/Toasts';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/access.css';
import './styles/today.css';
import './styles/reports.css';

applyTheme(storedTheme());
registerOfflineShell(isDesktop());

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request will be refused again; only a hub that could not be reached is retried.
      retry: (count, error) => count < 2 && error instanceof ApiError && error.isOffline,
      refetchOnWindowFocus: true,
      staleTime: 15_000,
    },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ApiProvider api={createApi(isDesktop() ? desktopTransport() : fetchTransport())}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <ToastProvider>
              <App />
            </ToastProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </ApiProvider>
    </StrictMode>,
  );
}
