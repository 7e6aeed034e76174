import { findNodeAtLocation, type Node } from "jsonc-parser";

/**
 * Durable Object migrations are history: Cloudflare applies each tag once, in
 * order, and rewriting an applied entry breaks deploys (or deletes data). So
 * the generator only ever reads the existing entries and appends new ones.
 */

/** A class some migration declares and no later migration deletes or renames away. */
export interface LiveClass {
  readonly name: string;
  /** The string node that declared it, for the error's line:col. */
  readonly node: Node;
  readonly tag: string;
}

/**
 * Replays `migrations` in order: new_classes / new_sqlite_classes /
 * transferred_classes `to` add a class, renamed_classes moves it, deleted_classes
 * removes it. What is left is what Cloudflare believes this Worker exports.
 */
export function liveClasses(migrations: Node | undefined): Map<string, LiveClass> {
  const live = new Map<string, LiveClass>();
  if (migrations?.type !== "array") return live;
  for (const entry of migrations.children ?? []) {
    if (entry.type !== "object") continue;
    const tagNode = findNodeAtLocation(entry, ["tag"]);
    const tag = tagNode?.type === "string" ? String(tagNode.value) : "";
    for (const key of ["new_classes", "new_sqlite_classes"]) {
      for (const item of arrayItems(entry, key)) {
        if (item.type === "string") live.set(String(item.value), { name: String(item.value), node: item, tag });
      }
    }
    for (const key of ["renamed_classes", "transferred_classes"]) {
      for (const item of arrayItems(entry, key)) {
        const from = findNodeAtLocation(item, ["from"]);
        const to = findNodeAtLocation(item, ["to"]);
        if (key === "renamed_classes" && from?.type === "string") live.delete(String(from.value));
        if (to?.type === "string") live.set(String(to.value), { name: String(to.value), node: to, tag });
      }
    }
    for (const item of arrayItems(entry, "deleted_classes")) {
      if (item.type === "string") live.delete(String(item.value));
    }
  }
  return live;
}

/**
 * The tag for a new migration: `v<N+1>` where N is the larger of the number of
 * entries and the highest existing `v<number>` tag, skipping any tag in use.
 */
export function nextMigrationTag(migrations: Node | undefined): string {
  const tags = new Set<string>();
  for (const entry of migrations?.type === "array" ? (migrations.children ?? []) : []) {
    const tag = entry.type === "object" ? findNodeAtLocation(entry, ["tag"]) : undefined;
    if (tag?.type === "string") tags.add(String(tag.value));
  }
  let n = migrations?.children?.length ?? 0;
  for (const tag of tags) {
    const match = /^v(\d+)$/.exec(tag);
    if (match) n = Math.max(n, Number(match[1]));
  }
  do n++;
  while (tags.has(`v${n}`));
  return `v${n}`;
}

function arrayItems(entry: Node, key: string): readonly Node[] {
  const node = findNodeAtLocation(entry, [key]);
  return node?.type === "array" ? (node.children ?? []) : [];
}
