/** The shared router suite against the router as a Worker in real workerd. */
import { messagesStreamSuite } from "../router/messages-stream.suite.js";
import { workerdTarget } from "./workerd-target.js";

messagesStreamSuite(workerdTarget());
