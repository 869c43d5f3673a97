/**
 * `java.util.regex.Pattern.split(input)`: a zero-width match at the start yields no leading
 * empty string, input without a match comes back whole, and trailing empty strings are dropped.
 */
export function javaSplit(pattern: RegExp, input: string): string[] {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const parts: string[] = [];
  let index = 0;
  for (const match of input.matchAll(global)) {
    const start = match.index;
    const end = start + match[0].length;
    if (index === 0 && start === 0 && end === 0) continue;
    parts.push(input.slice(index, start));
    index = end;
  }
  if (index === 0) return [input];
  parts.push(input.slice(index));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
