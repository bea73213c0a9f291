/**
 * The last few results of a pure function of text, by that text. A run of `kpaas secrets` reads
 * and writes each file once, so for it this is no cache at all; a process that runs the command
 * again and again on the same files (the crash drills in test/secrets) parses each file once.
 */
export function lastResults<T>(size: number): (key: string, compute: () => T) => T {
  const kept = new Map<string, T>();
  return (key, compute) => {
    if (kept.has(key)) return kept.get(key) as T;
    const value = compute();
    if (kept.size >= size) kept.delete(kept.keys().next().value as string);
    kept.set(key, value);
    return value;
  };
}
