// The cycle walk the two cycle rules share (init chains of arms, chain roots of distributions): each name
// has at most one successor, so following successors from every start finds each cycle once.

/** Each cycle as the names along it, starting from the first of them in `starts` order. */
export function findCycles(starts: Iterable<string>, next: (name: string) => string | undefined): string[][] {
  const reported = new Set<string>();
  const cycles: string[][] = [];
  for (const start of starts) {
    if (reported.has(start)) continue;
    const path: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !path.includes(current)) {
      path.push(current);
      current = next(current);
    }
    if (current !== start) continue;
    path.forEach((name) => reported.add(name));
    cycles.push(path);
  }
  return cycles;
}

/** `a → b → a`. */
export const describeCycle = (path: readonly string[]): string => [...path, path[0]].join(' → ');
