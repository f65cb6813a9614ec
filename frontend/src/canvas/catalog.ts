// The system-design vocabulary: one colour, icon and shortcut per component type.

import {
  Activity,
  Archive,
  Cloud,
  Cog,
  Database,
  Frame,
  Globe,
  type IconNode,
  Layers,
  MonitorSmartphone,
  Network,
  Search,
  Server,
  StickyNote,
  Zap,
} from "lucide";

import { COMPONENT_TYPES, type ComponentType, type Element } from "../sync";
import { VOCABULARY } from "../sync/vocabulary.gen";

export interface TypeInfo {
  readonly type: ComponentType;
  readonly name: string;
  readonly color: string;
  readonly icon: IconNode;
  /** Key that adds one (shown in the palette and the cheat sheet); F, T, S and C annotate instead. */
  readonly key: string;
  readonly hint: string;
}

/** The icon each component type names in whiteboard/vocabulary.json ("icon"). */
const ICONS: Readonly<Record<(typeof VOCABULARY.component_types)[ComponentType]["icon"], IconNode>> = {
  "monitor-smartphone": MonitorSmartphone,
  server: Server,
  database: Database,
  zap: Zap,
  layers: Layers,
  network: Network,
  globe: Globe,
  archive: Archive,
  search: Search,
  cog: Cog,
  cloud: Cloud,
  activity: Activity,
};

/** Name, colour, icon, key and hint per type come from the protocol's vocabulary, in its order. */
export const TYPES: readonly TypeInfo[] = COMPONENT_TYPES.map((type) => {
  const { label, colour, icon, key, hint } = VOCABULARY.component_types[type];
  return { type, name: label, color: colour, icon: ICONS[icon], key, hint };
});

export const TYPE_INFO: Readonly<Record<ComponentType, TypeInfo>> = Object.fromEntries(
  TYPES.map((info) => [info.type, info]),
) as Record<ComponentType, TypeInfo>;

/** How the UI names an element: its label, or what it is. */
export function describeElement(element: Element): string {
  if (element.kind === "note") return element.text.trim() || "Note";
  if (element.kind === "arrow") return element.label.trim() || "Arrow";
  if (element.kind === "frame") return element.label.trim() || "Frame";
  return element.label.trim() || `Untitled ${TYPE_INFO[element.type].name.toLowerCase()}`;
}

/** A frame: a region (an availability zone, a VPC, a tier) drawn behind the boxes; no key of its own. */
export const FRAME = { name: "Frame", color: "#64748b", icon: Frame, key: "", hint: "A region around boxes: a zone, a VPC, a tier" } as const;

export const NOTE = { name: "Note", color: "#d97706", icon: StickyNote, key: "n", hint: "Free text: requirements, numbers" } as const;

/** Colours for people, picked by a stable hash of their participant id. */
const PEOPLE = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4d7c0f", "#ea580c", "#4f46e5"];

export function personColor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return PEOPLE[Math.abs(hash) % PEOPLE.length] ?? "#2563eb";
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [parts[0] ?? "?"];
  return letters
    .map((part) => [...(part ?? "")][0] ?? "")
    .join("")
    .toUpperCase();
}

export const ROLE_NAMES: Readonly<Record<string, string>> = {
  owner: "Owner",
  interviewer: "Interviewer",
  candidate: "Candidate",
  reviewer: "Reviewer",
  observer: "Observer",
  coach: "Coach",
};
