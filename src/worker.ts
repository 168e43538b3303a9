// The job process: BullMQ workers only, no HTTP.
import { boot } from './boot.js';

await boot({ http: false, workers: true });
