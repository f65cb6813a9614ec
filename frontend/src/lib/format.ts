/** "in 1 week", "3 minutes ago": the largest unit whose rounded count stays under the next unit,
 *  so times a second apart read the same ("7 days" rounds up to "1 week" either side of it). */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((now - then) / 1000);
  const future = seconds < 0;
  const units: [number, string][] = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [7, "day"],
    [4.35, "week"],
    [12, "month"],
    [Infinity, "year"],
  ];
  let value = Math.abs(seconds);
  for (const [size, name] of units) {
    const n = Math.round(value);
    if (n < size) {
      if (name === "second") return future ? "in a moment" : "just now";
      const count = Math.max(1, n);
      const word = `${count} ${name}${count === 1 ? "" : "s"}`;
      return future ? `in ${word}` : `${word} ago`;
    }
    value /= size;
  }
  return "";
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "board"
  );
}
