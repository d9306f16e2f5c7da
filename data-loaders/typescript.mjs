// Lets this thread import the workbench's TypeScript (typescript-hooks.mjs): imported first by the
// `rdi` command, the scripts of package.json (`node --import`) and every worker thread, since a
// worker does not inherit its parent's module hooks.
import { register } from "node:module";

register("./typescript-hooks.mjs", import.meta.url);
// Stack traces point into the .ts files through the inline source maps.
process.setSourceMapsEnabled(true);
