/**
 * PathUtils.validatePath: absolute, no trailing or doubled slash, no `.`/`..` segments, no NUL and
 * none of the control or non-character ranges ZooKeeper rejects.
 */
export function isValidPath(path: string): boolean {
  if (path.length === 0 || path[0] !== '/') return false;
  if (path.length === 1) return true;
  if (path.endsWith('/')) return false;
  for (const segment of path.slice(1).split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return false;
  }
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0 || (c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      return false;
    }
  }
  return true;
}
