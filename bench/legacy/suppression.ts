/**
 * Kept for the benchmark only: the small-cell suppression that enrolment statistics published
 * before the cell key method (issue 14), so BENCHMARKS.md can compare the two on the same data.
 * An attacker recovered 99% of its withheld counts by combining queries; never serve it.
 */
/**
 * Small-cell suppression for a table of counts (statistical disclosure control).
 *
 * The published table is: every non-empty cell at the full grouping, the margins (totals per
 * value of each grouped dimension, when grouping by two or more) and the grand total.
 *
 * 1. Primary suppression: any count from 1 to threshold − 1 is withheld. Zero is not a cell (a
 *    group nobody is in is simply absent) and singles nobody out.
 * 2. Complementary suppression: every published total is the sum of its parts. For each such
 *    equation, if it contains withheld counts, at least two must be withheld and, when the total
 *    is published, the withheld parts must add up to at least the threshold; otherwise the
 *    smallest published part (or the total itself) is withheld too. This repeats until every
 *    equation holds, so no withheld count can be recovered by subtracting published ones, and no
 *    group of withheld counts is itself known to be small.
 */

export interface CountCell {
  /** One value per grouped dimension, in grouping order. */
  key: readonly string[];
  count: number;
}

export interface PublishedCount {
  value: number | null;
  suppressed: boolean;
}

export interface PublishedCell {
  key: readonly string[];
  count: PublishedCount;
}

export interface PublishedTable {
  cells: PublishedCell[];
  /** margins[d] lists, for dimension d, the total of each of its values. Empty below two dimensions. */
  margins: PublishedCell[][];
  total: PublishedCount;
}

interface Node {
  count: number;
  suppressed: boolean;
}

/** "Parent = sum of children": the equations an adversary could subtract with. */
interface Equation {
  parent: Node;
  children: Node[];
}

export function suppressSmallCells(cells: readonly CountCell[], dimensions: number, threshold: number): PublishedTable {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be a positive integer');
  const isSmall = (count: number) => count > 0 && count < threshold;
  const node = (count: number): Node => ({ count, suppressed: isSmall(count) });

  const cellNodes = cells.map((cell) => node(cell.count));
  const total = node(cells.reduce((sum, cell) => sum + cell.count, 0));
  const equations: Equation[] = [{ parent: total, children: cellNodes }];

  const marginKeys: string[][] = [];
  const marginNodes: Node[][] = [];
  if (dimensions >= 2) {
    for (let d = 0; d < dimensions; d++) {
      const members = new Map<string, Node[]>();
      cells.forEach((cell, index) => members.set(cell.key[d]!, [...(members.get(cell.key[d]!) ?? []), cellNodes[index]!]));
      const keys = [...members.keys()];
      const margins = keys.map((key) => node(members.get(key)!.reduce((sum, member) => sum + member.count, 0)));
      keys.forEach((key, index) => equations.push({ parent: margins[index]!, children: members.get(key)! }));
      equations.push({ parent: total, children: margins });
      marginKeys.push(keys);
      marginNodes.push(margins);
    }
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const equation of equations) {
      if (protect(equation, threshold)) changed = true;
    }
  }

  const publish = (n: Node): PublishedCount => ({ value: n.suppressed ? null : n.count, suppressed: n.suppressed });
  return {
    cells: cells.map((cell, index) => ({ key: cell.key, count: publish(cellNodes[index]!) })),
    margins: marginNodes.map((margins, d) => margins.map((margin, index) => ({ key: [marginKeys[d]![index]!], count: publish(margin) }))),
    total: publish(total),
  };
}

/** Withholds one more count in the equation if it needs it; returns whether it did. */
function protect(equation: Equation, threshold: number): boolean {
  const hiddenChildren = equation.children.filter((child) => child.suppressed);
  const hidden = hiddenChildren.length + (equation.parent.suppressed ? 1 : 0);
  if (hidden === 0) return false;
  const hiddenSum = hiddenChildren.reduce((sum, child) => sum + child.count, 0);
  const safe = hidden >= 2 && (equation.parent.suppressed || hiddenSum >= threshold);
  if (safe) return false;
  // A zero part protects nothing: its value is no secret. Hide the smallest non-zero part instead.
  const candidate = equation.children.filter((child) => !child.suppressed && child.count > 0).sort((a, b) => a.count - b.count)[0];
  if (candidate) {
    candidate.suppressed = true;
    return true;
  }
  if (!equation.parent.suppressed) {
    equation.parent.suppressed = true;
    return true;
  }
  return false;
}
