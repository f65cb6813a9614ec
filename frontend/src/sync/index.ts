export * from "./protocol";
export * from "./ops";
export * from "./annotations";
export * from "./batch";
export * from "./client";
export * from "./history";
