import type { PublishedTable } from '../src/modules/stats/suppression.ts';

/**
 * An adversary who knows how the table adds up: whenever an equation (total = Σ cells,
 * total = Σ margins of a dimension, margin = Σ its cells) has exactly one withheld number, it
 * solves it, and it repeats until nothing more follows. Returns what it recovered.
 */
export function attack(table: PublishedTable, dimensions: number): number {
  type Slot = { value: number | null };
  const cells: Slot[] = table.cells.map((c) => ({ value: c.count.value }));
  const total: Slot = { value: table.total.value };
  const equations: { parent: Slot; children: Slot[] }[] = [{ parent: total, children: cells }];
  if (dimensions >= 2) {
    table.margins.forEach((margins, d) => {
      const slots = margins.map((m) => ({ value: m.count.value }));
      equations.push({ parent: total, children: slots });
      margins.forEach((margin, index) =>
        equations.push({ parent: slots[index]!, children: table.cells.map((c, i) => (c.key[d] === margin.key[0] ? cells[i]! : null)).filter((s): s is Slot => s !== null) }),
      );
    });
  }
  let recovered = 0;
  for (let progress = true; progress; ) {
    progress = false;
    for (const { parent, children } of equations) {
      const unknown = [parent, ...children].filter((slot) => slot.value === null);
      if (unknown.length !== 1) continue;
      const known = children.filter((c) => c.value !== null).reduce((sum, c) => sum + c.value!, 0);
      unknown[0]!.value = unknown[0] === parent ? known : parent.value! - known;
      recovered++;
      progress = true;
    }
  }
  return recovered;
}

