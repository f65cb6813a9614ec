// The system-design vocabulary: one colour, icon and shortcut per component type.

import {
  Archive,
  Cloud,
  Cog,
  Database,
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

import type { ComponentType, Element } from "../sync";

export interface TypeInfo {
  readonly type: ComponentType;
  readonly name: string;
  readonly color: string;
  readonly icon: IconNode;
  /** Key that adds one (shown in the palette and the cheat sheet); F, T, S and C annotate instead. */
  readonly key: string;
  readonly hint: string;
}

export const TYPES: readonly TypeInfo[] = [
  { type: "client", name: "Client", color: "#334155", icon: MonitorSmartphone, key: "u", hint: "Browser, mobile app, caller" },
  { type: "service", name: "Service", color: "#2563eb", icon: Server, key: "a", hint: "API, backend, microservice" },
  { type: "database", name: "Database", color: "#059669", icon: Database, key: "d", hint: "SQL or NoSQL store" },
  { type: "cache", name: "Cache", color: "#dc2626", icon: Zap, key: "k", hint: "Redis, Memcached" },
  { type: "queue", name: "Queue", color: "#7c3aed", icon: Layers, key: "q", hint: "Kafka, SQS, pub/sub" },
  { type: "load_balancer", name: "Load balancer", color: "#0d9488", icon: Network, key: "l", hint: "L4/L7 balancer, gateway" },
  { type: "cdn", name: "CDN", color: "#0284c7", icon: Globe, key: "g", hint: "Edge cache for static content" },
  { type: "storage", name: "Object storage", color: "#b45309", icon: Archive, key: "o", hint: "S3, blob storage" },
  { type: "search", name: "Search", color: "#db2777", icon: Search, key: "i", hint: "Elasticsearch, full-text index" },
  { type: "worker", name: "Worker", color: "#65a30d", icon: Cog, key: "w", hint: "Background jobs, consumers" },
  { type: "external", name: "External", color: "#78716c", icon: Cloud, key: "e", hint: "Third-party API or system" },
];

export const TYPE_INFO: Readonly<Record<ComponentType, TypeInfo>> = Object.fromEntries(
  TYPES.map((info) => [info.type, info]),
) as Record<ComponentType, TypeInfo>;

/** How the UI names an element: its label, or what it is. */
export function describeElement(element: Element): string {
  if (element.kind === "note") return element.text.trim() || "Note";
  if (element.kind === "arrow") return element.label.trim() || "Arrow";
  return element.label.trim() || `Untitled ${TYPE_INFO[element.type].name.toLowerCase()}`;
}

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
};
