// npm start: HTTP server and job workers in one process, for a single machine.
import { boot } from './boot.js';

await boot({ http: true, workers: true });
