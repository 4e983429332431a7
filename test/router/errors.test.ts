import { errorsSuite } from "./errors.suite.js";
import { nodeTarget } from "./harness.js";

errorsSuite(nodeTarget);
