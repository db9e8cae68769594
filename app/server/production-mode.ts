/**
 * Imported first by main.ts, before anything loads React: React picks its
 * development or production build from NODE_ENV when it is first loaded, and
 * `npm start` (or a bare `tsx app/server/main.ts`) leaves NODE_ENV unset, which
 * rendered every page with React's development build, several times slower
 * (`npm run bench:abuse` profile: a third of the server's CPU time went to React).
 * An explicit NODE_ENV is kept; `--dev` runs Vite's dev server, which wants development.
 */
if (!process.argv.includes('--dev')) process.env.NODE_ENV ??= 'production'
