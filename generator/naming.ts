/** `ThrottleTimeMs` → `throttleTimeMs`; already camelCase names (internal records) stay. */
export function propertyName(schemaName: string): string {
  return schemaName.charAt(0).toLowerCase() + schemaName.slice(1);
}

/** Nested struct names are only unique per message, so they are prefixed with it. */
export function structTypeName(messageName: string, structName: string): string {
  return structName.startsWith(messageName) ? structName : messageName + structName;
}

/** `ApiVersions` → `api-versions`. */
export function fileName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `Produce` from `ProduceRequest`/`ProduceResponse`. */
export function apiName(messageName: string): string {
  return messageName.replace(/(Request|Response)$/, '');
}
