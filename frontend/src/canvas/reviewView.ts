// What the review UI derives: the open threads. Pure.
import type { Annotations } from "../sync";
import { isPending } from "./pending";

/** Challenges still under discussion (open, answered or reopened; pending ones are not threads yet). */
export function openThreadCount(annotations: Annotations): number {
  let n = 0;
  for (const a of annotations.values()) if (a.layer === "challenges" && a.status !== "resolved" && !isPending(a)) n++;
  return n;
}
