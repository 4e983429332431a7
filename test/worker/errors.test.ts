/** The shared router suite against the router as a Worker in real workerd. */
import { errorsSuite } from "../router/errors.suite.js";
import { workerdTarget } from "./workerd-target.js";

errorsSuite(workerdTarget());
