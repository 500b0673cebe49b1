/*
 * Doorlink's offline shell (issue 17, point 14): the app's own files are kept so the portal opens
 * without a connection and shows the last doors the hub confirmed (kept by the page itself, A6).
 * The API is never cached here: what a person may open is only ever the hub's word, and an unlock
 * always needs it. Plain JavaScript served as-is from ui/public, so it needs no build step.
 */
const SHELL = 'doorlink-shell-v1';

/** The page and the files it names (Vite gives each a content-hashed name under /assets/). */
async function keepShell() {
  const cache = await caches.open(SHELL);
  const page = await fetch('/', { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
  await cache.put('/', page);
  await cache.addAll([...new Set(['/manifest.webmanifest', '/icon-192.png', '/icon.svg', ...assets])]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Every page of the app is the same document: the hub's when it answers (and kept), else the kept one.
    event.respondWith(
      fetch(request)
        .then((answer) => {
          if (answer.ok) {
            const copy = answer.clone();
            void caches.open(SHELL).then((cache) => cache.put('/', copy));
          }
          return answer;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  // Hashed assets never change: the kept copy first, then the hub (and keep what it sends).
  event.respondWith(
    caches.match(request).then(
      (kept) =>
        kept ??
        fetch(request).then((answer) => {
          if (answer.ok && url.pathname.startsWith('/assets/')) {
            const copy = answer.clone();
            void caches.open(SHELL).then((cache) => cache.put(request, copy));
          }
          return answer;
        }),
    ),
  );
});
