/** The model worker's file name in the library's build (see vite.config.ts), so a page that serves its assets elsewhere can start it. */
export const LIBRARY_WORKER_FILE = 'florence2.worker.js';
