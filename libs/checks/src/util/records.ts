/**
 * Sets an own, enumerable key even when the key is `__proto__` or `constructor`, so names that
 * come from host output can never reach an object's prototype.
 */
export function setKey<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
