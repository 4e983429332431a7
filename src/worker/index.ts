/**
 * The Worker entry module that `grove worker init` bundles. Its default export reads the config
 * from the GROVE_ROUTER_CONFIG binding; a generated project wraps `createGroveWorker` around
 * its bundled router.json instead.
 */
import { createGroveWorker } from "./create-worker.js";

export { createGroveWorker, type GroveWorker, type GroveWorkerOptions } from "./create-worker.js";
export type { WorkerContext, WorkerEnv } from "./worker-env.js";

export default createGroveWorker();
