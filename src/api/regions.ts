/** Regions served at `workspace.{region}.myhuaweicloud.com`. */
const INTERNATIONAL = [
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'la-south-2', 'la-north-2', 'sa-brazil-1',
  'me-east-1', 'af-south-1', 'af-north-1', 'tr-west-1', 'cn-east-5', 'cn-north-11',
] as const;
/** Chinese mainland regions, served at `appstream.{region}.myhuaweicloud.com`. */
const MAINLAND = ['cn-north-4', 'cn-north-9', 'cn-east-3', 'cn-south-1', 'cn-southwest-2'] as const;

// concat, marked pure, not a spread: a bundle that never reads REGIONS then leaves the lists out.
export const REGIONS: readonly [...typeof INTERNATIONAL, ...typeof MAINLAND] = /* @__PURE__ */ (INTERNATIONAL as readonly string[]).concat(MAINLAND) as never;
export type Region = (typeof REGIONS)[number];

/**
 * The service endpoint of a region.
 * @throws TypeError for a region this library does not know (pass `endpoint` yourself then).
 * @example endpointForRegion('ap-southeast-1') // 'https://workspace.ap-southeast-1.myhuaweicloud.com'
 */
export function endpointForRegion(region: string): string {
  if ((MAINLAND as readonly string[]).includes(region)) return `https://appstream.${region}.myhuaweicloud.com`;
  if ((INTERNATIONAL as readonly string[]).includes(region)) return `https://workspace.${region}.myhuaweicloud.com`;
  throw new TypeError(`region must be one of ${REGIONS.join(', ')}; for another region pass the endpoint`);
}
