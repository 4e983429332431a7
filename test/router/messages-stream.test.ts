import { nodeTarget } from "./harness.js";
import { messagesStreamSuite } from "./messages-stream.suite.js";

messagesStreamSuite(nodeTarget);
