/** The shared router suite against the router as a Worker in real workerd. */
import { responsesSuite } from "../router/responses.suite.js";
import { workerdTarget } from "./workerd-target.js";

responsesSuite(workerdTarget());
