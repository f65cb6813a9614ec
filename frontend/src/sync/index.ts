export * from "./protocol";
export * from "./ops";
export * from "./client";
export * from "./history";
