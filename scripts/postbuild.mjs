// After tsc: make the CLI executable and publish the router config schema for editor completion.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { routerConfigSchema } from "../dist/router/config/config-schema.js";

chmodSync(new URL("../dist/cli/main.js", import.meta.url), 0o755);

const schema = z.toJSONSchema(routerConfigSchema, { io: "input", unrepresentable: "any" });
schema.title = "grove router config";
mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../schema/router-config.schema.json", import.meta.url),
  `${JSON.stringify(schema, null, 2)}\n`,
);
