import type { MicroscopeCore } from './micro-manager';

/** Why Micro-Manager would refuse a value: the part of the request at fault and what is wrong with it. */
export interface PropertyProblem {
  readonly field: 'name' | 'value';
  readonly message: string;
}

const asNumber = (value: unknown) =>
  typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;

/**
 * The checks Micro-Manager itself makes on a property write (read-only, allowed values, limits), made before
 * anything is sent; undefined when the value would be taken. `range: false` leaves the limits to the light guard.
 */
export async function propertyValueProblem(
  core: MicroscopeCore,
  device: string,
  property: string,
  value: unknown,
  options: { readonly range?: boolean } = {},
): Promise<PropertyProblem | undefined> {
  if (await core.isPropertyReadOnly(device, property)) return { field: 'name', message: `${device}.${property} is read-only` };
  if (options.range === false) return undefined;
  const allowed = await core.getAllowedPropertyValues(device, property);
  if (allowed.length > 0 && !allowed.includes(String(value))) {
    return { field: 'value', message: `${device}.${property} = ${JSON.stringify(value)} is not one of ${allowed.join(', ')}` };
  }
  const limits = await core.getPropertyLimits(device, property);
  const number = asNumber(value);
  if (limits && !(number >= limits.lower && number <= limits.upper)) {
    return {
      field: 'value',
      message: `${device}.${property} = ${JSON.stringify(value)} is not a number from ${limits.lower} to ${limits.upper}`,
    };
  }
  return undefined;
}
