/** Entry point the build binds to (publish/steps.ts); the registry itself lives in registry/. */
export { catalogue, catalogueEntry, definitions, INDICATORS, indicatorById } from "./registry/index.ts";
