// The HTTP process; production runs several of these behind a proxy.
import { boot } from './boot.js';

await boot({ http: true, workers: false });
