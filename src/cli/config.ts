import type { Auth } from '../api/auth.js';
import { endpointForRegion } from '../api/regions.js';
import type { Language } from '../api/schemas.js';
import type { CliArgs } from './args.js';
import { CliError } from './exit-codes.js';

/** What a sending command needs to reach the service. */
export interface ServiceConfig {
  endpoint: string;
  projectId: string;
  auth: Auth;
  language: Language | undefined;
}

/** Credentials from the environment: AK/SK (with an optional security token), else a token. */
export function authFromEnv(env: NodeJS.ProcessEnv): Auth {
  const ak = env.HUAWEICLOUD_SDK_AK;
  const sk = env.HUAWEICLOUD_SDK_SK;
  if (ak || sk) {
    if (!ak || !sk) throw new CliError('set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or neither)');
    const securityToken = env.HUAWEICLOUD_SDK_SECURITY_TOKEN;
    return securityToken ? { ak, sk, securityToken } : { ak, sk };
  }
  const token = env.HUAWEICLOUD_AUTH_TOKEN;
  if (token) return { token };
  throw new CliError('no credentials: set HUAWEICLOUD_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK', 1);
}

export function serviceConfig(args: CliArgs, env: NodeJS.ProcessEnv): ServiceConfig {
  if (args.endpoint && args.region) throw new CliError('give --endpoint or --region, not both');
  let endpoint = args.endpoint;
  if (!endpoint && args.region) {
    try {
      endpoint = endpointForRegion(args.region);
    } catch (error) {
      throw new CliError(`--region: ${(error as Error).message}`);
    }
  }
  if (!endpoint) throw new CliError('--endpoint or --region is required');
  if (!args.project) throw new CliError('--project is required');
  return { endpoint, projectId: args.project, auth: authFromEnv(env), language: args.language as Language | undefined };
}
