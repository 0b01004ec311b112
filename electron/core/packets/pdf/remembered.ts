/**
 * `compute(owner, key)` remembered per owner (a font) and key (a string), with a bound. fontkit lays a string out
 * afresh on every measurement and every encoding, and a packet measures and draws the same words, characters and
 * table cells over and over; the bound is far above a packet's distinct strings.
 */
export function rememberPer<O extends object, V>(compute: (owner: O, key: string) => V, bound = 100_000): (owner: O, key: string) => V {
  const byOwner = new WeakMap<O, Map<string, V>>();
  return (owner, key) => {
    let known = byOwner.get(owner);
    if (!known) byOwner.set(owner, (known = new Map()));
    if (known.has(key)) return known.get(key)!;
    if (known.size >= bound) known.clear();
    const value = compute(owner, key);
    known.set(key, value);
    return value;
  };
}
