/**
 * Where the heap goes, from a V8 heap snapshot (.heapsnapshot JSON): self (shallow) size and count
 * per constructor, and per node type. Retained sizes need the dominator tree, which this does not
 * build: a big shallow total under `(string)` or `Object` still names what holds the memory once
 * read beside the largest single objects listed.
 */

export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  name: string;
  type: string;
  count: number;
  selfBytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  nodeCount: number;
  byType: Array<{ type: string; count: number; selfBytes: number }>;
  topConstructors: HeapGroup[];
  largestObjects: Array<{ name: string; type: string; selfBytes: number }>;
}

export function summariseHeapSnapshot(snap: HeapSnapshotJson, top = 25): HeapSummary {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const groups = new Map<string, HeapGroup>();
  const byType = new Map<string, { type: string; count: number; selfBytes: number }>();
  const largest: Array<{ name: string; type: string; selfBytes: number }> = [];
  let total = 0;
  let count = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!] ?? 'unknown';
    const size = snap.nodes[i + iSize]!;
    // Strings and code are grouped by type: their "names" are their contents.
    const name =
      type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + iName]!]! : `(${type})`;
    total += size;
    count += 1;
    const key = `${type}\u0000${name}`;
    const g = groups.get(key) ?? { name, type, count: 0, selfBytes: 0 };
    g.count += 1;
    g.selfBytes += size;
    groups.set(key, g);
    const t = byType.get(type) ?? { type, count: 0, selfBytes: 0 };
    t.count += 1;
    t.selfBytes += size;
    byType.set(type, t);
    if (largest.length < top || size > largest[largest.length - 1]!.selfBytes) {
      const label = snap.strings[snap.nodes[i + iName]!] ?? '';
      largest.push({ name: label.slice(0, 80), type, selfBytes: size });
      largest.sort((a, b) => b.selfBytes - a.selfBytes);
      if (largest.length > top) largest.pop();
    }
  }
  const bySize = <T extends { selfBytes: number }>(a: T, b: T) => b.selfBytes - a.selfBytes;
  return {
    totalBytes: total,
    nodeCount: count,
    byType: [...byType.values()].sort(bySize),
    topConstructors: [...groups.values()].sort(bySize).slice(0, top),
    largestObjects: largest,
  };
}

/** A short text rendering for the note: one line per group, MB with one decimal. */
export function formatHeapSummary(s: HeapSummary): string {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const lines = [`heap ${mb(s.totalBytes)} MB in ${s.nodeCount} objects (self sizes)`, '', 'by type:'];
  for (const t of s.byType)
    lines.push(`  ${mb(t.selfBytes).padStart(7)} MB  ${String(t.count).padStart(8)}  ${t.type}`);
  lines.push('', 'top constructors:');
  for (const g of s.topConstructors)
    lines.push(`  ${mb(g.selfBytes).padStart(7)} MB  ${String(g.count).padStart(8)}  ${g.name} [${g.type}]`);
  lines.push('', 'largest single objects:');
  for (const o of s.largestObjects) lines.push(`  ${mb(o.selfBytes).padStart(7)} MB  ${o.name} [${o.type}]`);
  return `${lines.join('\n')}\n`;
}
