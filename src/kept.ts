/*
 * What an instance keeps in memory between requests, bounded in count. A Map iterates in insertion order, so its
 * first keys are the oldest: they are forgotten first.
 */

/** Forgets the oldest entries until `map` holds at most `capacity`. */
export const forgetOldest = <K, V>(map: Map<K, V>, capacity: number): void => {
  for (const oldest of map.keys()) {
    if (map.size <= capacity) {
      break
    }
    map.delete(oldest)
  }
}

/** Keeps `value` under `key` as the newest entry, forgetting the oldest past `capacity`. */
export const keepNewest = <K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void => {
  map.delete(key)
  map.set(key, value)
  forgetOldest(map, capacity)
}

/** The value kept under `key`, made at its first use; past `capacity` values, the oldest are forgotten. */
export const keptFor = <V>(map: Map<string, V>, key: string, capacity: number, make: () => V): V => {
  let value = map.get(key)
  if (value === undefined) {
    value = make()
    map.set(key, value)
    forgetOldest(map, capacity)
  }
  return value
}
