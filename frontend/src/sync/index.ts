export * from "./protocol";
export * from "./ops";
export * from "./annotations";
export * from "./interview";
export * from "./replay";
export * from "./batch";
export * from "./client";
export * from "./history";
