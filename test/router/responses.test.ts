import { nodeTarget } from "./harness.js";
import { responsesSuite } from "./responses.suite.js";

responsesSuite(nodeTarget);
